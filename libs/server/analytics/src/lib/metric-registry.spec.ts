import { STEP_CODES, SUPPORT_TYPES } from '@klantmonitor/shared/domain';
import { DEFAULT_CURVE_DAYS } from '@klantmonitor/shared/metrics';
import { ANALYTICS_ENDPOINTS } from './analytics-query';
import { FRAME_COLUMNS, METRICS } from './metric-registry';

/** An answer with every optional figure present (case mix, curve days), as the columns read it. */
const full = { query: { days: [30, 60] }, rows: [{ expected: 1, oe: 1 }], total: {} };

describe('the metric registry (one definition per metric, #24)', () => {
  it('has every endpoint, each with a Dutch title, a definition, cells, figures, suppression and columns', () => {
    expect(Object.keys(METRICS).sort()).toEqual([...ANALYTICS_ENDPOINTS].sort());
    for (const e of ANALYTICS_ENDPOINTS) {
      const m = METRICS[e];
      expect([e, m.title.length > 5, m.definition.length > 20]).toEqual([e, true, true]);
      expect(typeof m.cells).toBe('function');
      expect(typeof m.compute).toBe('function');
      expect(typeof m.suppress).toBe('function');
      const cols = m.columns(full);
      expect(cols.length).toBeGreaterThan(1);
      for (const c of cols) {
        // Every column: a JSON name, a Dutch label that is not the JSON name, a kind and a definition.
        expect([e, c.name, c.label !== c.name, c.definition.length > 10]).toEqual([e, c.name, true, true]);
        expect(['text', 'int', 'number', 'share', 'yesno']).toContain(c.kind);
      }
      expect(new Set(cols.map((c) => c.name)).size).toBe(cols.length);
      expect(new Set(cols.map((c) => c.label)).size).toBe(cols.length);
    }
  });

  it('reads the figures of a row, nested ones too, and leaves a suppressed figure null', () => {
    // Dropout by phase and support minutes are nested; a curve point is found by its day.
    const drop = METRICS.dropout.columns(full);
    expect(drop.map((c) => c.name)).toEqual([
      'n',
      'dropped',
      'share',
      'ciLow',
      'ciHigh',
      ...STEP_CODES.map((s) => `byPhase.${s}`),
      'momentOfTruth',
    ]);
    const row = { n: 12, dropped: 1, byPhase: { first_contact: 1 }, share: 1 / 12 };
    expect(drop.find((c) => c.name === 'byPhase.first_contact')?.read(row)).toBe(1);
    expect(drop.find((c) => c.name === 'byPhase.goal_known')?.read({ byPhase: null })).toBeNull();
    const time = METRICS['time-to-step'].columns({ query: {}, rows: [], total: {} });
    expect(time.filter((c) => c.name.startsWith('curve.')).map((c) => c.name)).toEqual(
      DEFAULT_CURVE_DAYS.map((d) => `curve.${d}`),
    );
    // The default days are every week (0, 7, 14, ...): day 28's point.
    expect(time.find((c) => c.name === 'curve.28')?.read({ curve: [{ day: 28, cif: 0.25 }] })).toBe(0.25);
    expect(time.find((c) => c.name === 'curve.28')?.read({ curve: null })).toBeNull();
    const support = METRICS.support.columns(full);
    expect(support.filter((c) => c.name.startsWith('meanMinutes.')).length).toBe(SUPPORT_TYPES.length);
    // Case mix only where the answer has it.
    expect(METRICS['step-attainment'].columns({ query: {}, rows: [{}], total: {} }).map((c) => c.name)).not.toContain(
      'oe',
    );
  });

  it('names the frame columns in Dutch too', () => {
    for (const [name, c] of Object.entries(FRAME_COLUMNS)) {
      expect([name, c.label.length > 2, c.definition.length > 10]).toEqual([name, true, true]);
      expect(c.definition).not.toMatch(/\bunknown\b/);
    }
  });
});
