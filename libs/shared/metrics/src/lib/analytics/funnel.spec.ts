import { funnelCurve, funnelLimits, funnelPoints, funnelVerdict, Z998 } from './funnel';
import { Z95 } from './wilson';

describe('funnel plot limits and verdicts (hand-worked)', () => {
  it('computes p0 ± z·sqrt(p0(1−p0)/n) for 95% and 99.8%', () => {
    /*
     * p0 = 0.5, n = 100: se = sqrt(0.25 / 100) = 0.05.
     *   95%:   0.5 ± 1.959964 * 0.05 = 0.5 ± 0.0979982 -> 0.4020018 .. 0.5979982
     *   99.8%: 0.5 ± 3.090232 * 0.05 = 0.5 ± 0.1545116 -> 0.3454884 .. 0.6545116
     */
    const l = funnelLimits(0.5, 100);
    expect(l?.low95).toBeCloseTo(0.4020018, 10);
    expect(l?.high95).toBeCloseTo(0.5979982, 10);
    expect(l?.low998).toBeCloseTo(0.3454884, 10);
    expect(l?.high998).toBeCloseTo(0.6545116, 10);
    expect(Z95).toBe(1.959964);
    expect(Z998).toBe(3.090232);
  });

  it('clips the limits to [0, 1]', () => {
    /*
     * p0 = 0.1, n = 4: se = sqrt(0.09 / 4) = 0.15.
     *   99.8%: 0.1 - 3.090232 * 0.15 = 0.1 - 0.4635348 < 0 -> 0; high 0.1 + 0.4635348 = 0.5635348.
     *   95%:   0.1 - 1.959964 * 0.15 = 0.1 - 0.2939946 < 0 -> 0; high 0.3939946.
     * p0 = 0.9, n = 4: mirror image: high998 = 1 (clipped), low998 = 0.4364652.
     */
    const l = funnelLimits(0.1, 4);
    expect(l?.low998).toBe(0);
    expect(l?.low95).toBe(0);
    expect(l?.high998).toBeCloseTo(0.5635348, 10);
    expect(l?.high95).toBeCloseTo(0.3939946, 10);
    const m = funnelLimits(0.9, 4);
    expect(m?.high998).toBe(1);
    expect(m?.low998).toBeCloseTo(0.4364652, 10);
  });

  it('has no limits for n = 0 or an impossible p0', () => {
    expect(funnelLimits(0.5, 0)).toBeNull();
    expect(funnelLimits(1.2, 10)).toBeNull();
    expect(funnelVerdict(0.9, 0, 0.5)).toBe('within');
  });

  it('calls a share outside the 99.8% limits clearly higher or lower', () => {
    /*
     * p0 = 0.4, n = 150: se = sqrt(0.24 / 150) = sqrt(0.0016) = 0.04; 99.8% half-width
     * 3.090232 * 0.04 = 0.12360928 -> limits 0.27639072 .. 0.52360928.
     *   share 0.53 (> 0.5236) -> higher; 0.52 -> within; 0.27 -> lower; 0.28 -> within.
     * The same 0.53 with n = 30: se = sqrt(0.24 / 30) = 0.0894427, half-width 0.2763998,
     * high limit 0.6763998 -> within (a small municipality's difference may be noise).
     */
    expect(funnelVerdict(0.53, 150, 0.4)).toBe('higher');
    expect(funnelVerdict(0.52, 150, 0.4)).toBe('within');
    expect(funnelVerdict(0.27, 150, 0.4)).toBe('lower');
    expect(funnelVerdict(0.28, 150, 0.4)).toBe('within');
    expect(funnelVerdict(0.53, 30, 0.4)).toBe('within');
  });

  it('makes one point per visible municipality and leaves suppressed rows out', () => {
    /* p0 = 0.4 as above: GM1 0.53 of 150 -> higher; GM2 suppressed -> no point; GM3 0.27 of 150 -> lower. */
    const points = funnelPoints(
      [
        { municipality: 'GM1', eligible: 150, share: 0.53, suppressed: false },
        { municipality: 'GM2', eligible: null, share: null, suppressed: true },
        { municipality: 'GM3', eligible: 150, share: 0.27, suppressed: false },
        { municipality: 'GM4', eligible: 0, share: null, suppressed: false },
      ],
      0.4,
    );
    expect(points).toEqual([
      { municipality: 'GM1', n: 150, share: 0.53, verdict: 'higher' },
      { municipality: 'GM3', n: 150, share: 0.27, verdict: 'lower' },
    ]);
  });

  it('draws the limit curve from nMin to nMax on a log scale, narrowing as n grows', () => {
    /* Three steps from 10 to 1000 on a log scale: n = 10, 100, 1000. */
    const curve = funnelCurve(0.5, 10, 1000, 3);
    expect(curve.map((l) => Math.round(l.n))).toEqual([10, 100, 1000]);
    const widths = curve.map((l) => l.high998 - l.low998);
    expect(widths[0]).toBeGreaterThan(widths[1]);
    expect(widths[1]).toBeGreaterThan(widths[2]);
    // n = 100: the half-width of the 99.8% limits is 0.1545116 (first case).
    expect(curve[1].high998 - 0.5).toBeCloseTo(0.1545116, 9);
  });
});
