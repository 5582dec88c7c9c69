/**
 * The comparison of `npm run bench:guard` (docs/contributing.md): each figure's ratio to its anchor
 * (measured in the same run) against the ratio committed in tools/bench/baseline.json. Absolute
 * times on a shared 2-core machine are noisy; a ratio to an anchor of the same run is not, much.
 * Pure: no I/O, tested by guard-compare.test.mjs.
 */

/** A ratio this much worse than the baseline's is a regression. */
export const REGRESSION_FACTOR = 1.5;

/** Rates (rows/s, req/s) are better when higher; times and sizes when lower. */
export const higherIsBetter = (unit) => /\/s$/.test(unit ?? '');

/** The key a figure is known by in the baseline: bench and figure. */
export const figureKey = (line) => `${line.bench} / ${line.figure}`;

/** The JSON summary lines of a benchmark's output (docs/contributing.md), in order. */
export function summaryLines(output) {
  const lines = [];
  for (const text of output.split('\n')) {
    const t = text.trim();
    if (!t.startsWith('{"bench"')) continue;
    try {
      lines.push(JSON.parse(t));
    } catch {
      /* a line cut short: not a summary */
    }
  }
  return lines;
}

/**
 * Compares the current figures with the baseline's. Each row says:
 *   - `ok` / `regression`: both have a ratio; `worse` is how many times worse the current ratio is
 *     (> 1 worse, < 1 better), a regression when above `factor`;
 *   - `missing`: the baseline has the figure with a ratio, this run did not give one (a bench
 *     crashed, or a figure was renamed: run with --update on purpose);
 *   - `new`: this run has a figure the baseline does not (not judged; --update takes it in);
 *   - `no anchor`: the figure has no anchor, so no ratio to judge (printed only).
 * `ok` is false when any row is a regression or missing.
 */
export function compareWithBaseline(baseline, current, factor = REGRESSION_FACTOR) {
  const now = new Map(current.map((l) => [figureKey(l), l]));
  const before = baseline?.figures ?? {};
  const rows = [];
  for (const [key, b] of Object.entries(before)) {
    const c = now.get(key);
    if (b.ratio === null || b.ratio === undefined) {
      rows.push({ key, status: 'no anchor', baseline: b, current: c ?? null, worse: null });
      continue;
    }
    if (!c || c.ratio === null || c.ratio === undefined || !Number.isFinite(c.ratio) || c.ratio <= 0) {
      rows.push({ key, status: 'missing', baseline: b, current: c ?? null, worse: null });
      continue;
    }
    const worse = higherIsBetter(c.unit) ? b.ratio / c.ratio : c.ratio / b.ratio;
    rows.push({ key, status: worse > factor ? 'regression' : 'ok', baseline: b, current: c, worse });
  }
  for (const [key, c] of now)
    if (!(key in before))
      rows.push({ key, status: c.ratio == null ? 'no anchor' : 'new', baseline: null, current: c, worse: null });
  return { rows, ok: rows.every((r) => r.status !== 'regression' && r.status !== 'missing') };
}

/**
 * Of two runs' lines, per figure the one closer to the baseline (the guard measures a flagged bench
 * again: a regression is what shows in both runs, not one noisy p95). Figures only one run has are
 * kept as they are.
 */
export function bestOf(baseline, first, second) {
  const worse = (l) => {
    const b = baseline?.figures?.[figureKey(l)];
    if (!b || b.ratio == null || l.ratio == null || l.ratio <= 0) return Infinity;
    return higherIsBetter(l.unit) ? b.ratio / l.ratio : l.ratio / b.ratio;
  };
  const again = new Map(second.map((l) => [figureKey(l), l]));
  const out = first.map((l) => {
    const other = again.get(figureKey(l));
    return other && worse(other) < worse(l) ? other : l;
  });
  const seen = new Set(first.map(figureKey));
  return [...out, ...second.filter((l) => !seen.has(figureKey(l)))];
}

/** The baseline file's content for these figures: what was measured, where and when. */
export function baselineOf(current, machine, date) {
  return {
    about:
      'Written by `npm run bench:guard -- --update`. Each figure: its value, its anchor measured in the same run and their ratio; the guard compares ratios (docs/contributing.md).',
    machine,
    date,
    figures: Object.fromEntries(
      current.map((l) => [figureKey(l), { value: l.value, unit: l.unit, anchor: l.anchor, ratio: l.ratio }]),
    ),
  };
}
