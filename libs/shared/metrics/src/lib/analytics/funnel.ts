/**
 * Funnel plot (docs/analytics.md, chart 2): each municipality's share against its number of eligible
 * clients, with control limits around the reference share p0 that narrow as n grows. A point
 * outside the 99.8% limits differs from p0 by more than chance explains ("duidelijk hoger/lager");
 * inside, the difference may be noise. This is the one figure the dashboard shows that the API
 * does not send, so it lives here, beside the others, and the PDF report uses the same functions.
 */
import { Z95 } from './wilson';

/** z of the two-sided 99.8% limits (docs/analytics.md). */
export const Z998 = 3.090232;

export interface FunnelLimits {
  n: number;
  low95: number;
  high95: number;
  low998: number;
  high998: number;
}

export type FunnelVerdict = 'higher' | 'lower' | 'within';

export interface FunnelPoint {
  municipality: string;
  n: number;
  share: number;
  verdict: FunnelVerdict;
}

const clip = (x: number) => Math.min(1, Math.max(0, x));

/** `p0 ± z·sqrt(p0(1−p0)/n)` clipped to [0, 1], for both z of the plot. Null for n <= 0. */
export function funnelLimits(p0: number, n: number): FunnelLimits | null {
  if (!(n > 0) || !(p0 >= 0 && p0 <= 1)) return null;
  const se = Math.sqrt((p0 * (1 - p0)) / n);
  return {
    n,
    low95: clip(p0 - Z95 * se),
    high95: clip(p0 + Z95 * se),
    low998: clip(p0 - Z998 * se),
    high998: clip(p0 + Z998 * se),
  };
}

/**
 * Outside the 99.8% limits? A share exactly on a limit is within (the limit is where chance
 * explains it at the 0.2% level). When p0 is 0 or 1 the limits are a line: any other share is
 * outside.
 */
export function funnelVerdict(share: number, n: number, p0: number): FunnelVerdict {
  const l = funnelLimits(p0, n);
  if (!l) return 'within';
  if (share > l.high998) return 'higher';
  if (share < l.low998) return 'lower';
  return 'within';
}

/** Rows of a step-attainment answer: what the funnel needs of them. */
export interface FunnelRowInput {
  municipality?: string;
  eligible: number | null;
  share: number | null;
  suppressed: boolean;
}

/**
 * One point per municipality that is not suppressed and has eligible clients, with its verdict
 * against p0 (the answer's total share: everything the answer covers). Suppressed rows are left
 * out: their share is not known to the caller.
 */
export function funnelPoints(rows: readonly FunnelRowInput[], p0: number): FunnelPoint[] {
  const out: FunnelPoint[] = [];
  for (const r of rows) {
    if (r.suppressed || r.share === null || !r.eligible || !r.municipality) continue;
    out.push({
      municipality: r.municipality,
      n: r.eligible,
      share: r.share,
      verdict: funnelVerdict(r.share, r.eligible, p0),
    });
  }
  return out;
}

/**
 * The limit lines to draw: at `steps` values of n spread evenly on a log scale from nMin to nMax
 * (both included), so the curve is smooth where it bends most (small n).
 */
export function funnelCurve(p0: number, nMin: number, nMax: number, steps = 60): FunnelLimits[] {
  const lo = Math.max(1, Math.min(nMin, nMax));
  const hi = Math.max(lo, nMax);
  const out: FunnelLimits[] = [];
  for (let i = 0; i < steps; i++) {
    const n = steps === 1 ? lo : lo * Math.pow(hi / lo, i / (steps - 1));
    const l = funnelLimits(p0, n);
    if (l) out.push(l);
  }
  return out;
}
