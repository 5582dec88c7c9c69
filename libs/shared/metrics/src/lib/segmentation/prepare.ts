/**
 * Segmentation input (docs/metrics.md "Segmentation"): each client's answers over the chosen items;
 * first the items nobody answered dropped (a shorter instrument: the HU study asked 26 statements,
 * and the 6 nobody was asked made 530 of 2,000 clients "missing more than 20%", #24); then clients
 * missing more than 20% of the rest left out, other gaps filled with the item's mean, items without
 * variance dropped, every item standardised with the population SD.
 */

/** One client's answers, item code -> 1..5, or null / absent when not given. */
export interface IntakeRow {
  clientId: string;
  answers: Readonly<Record<string, number | null | undefined>>;
}

export interface PreparedSegmentationData {
  /** Clients kept, in input order. */
  clientIds: string[];
  /** Clients left out for missing more than `maxMissingShare` of the items. */
  excluded: number;
  /** Items kept (in the order asked), and those dropped (nobody answered them, or no variance). */
  items: string[];
  droppedItems: string[];
  /** Answers as given (null where missing), per kept client and kept item. */
  raw: (number | null)[][];
  /** Standardised values, imputed gaps at the item mean (z = 0). */
  z: number[][];
  /** Per kept item: mean of the answers given, population SD. */
  means: number[];
  sds: number[];
}

/** More than this share of the items missing and a client is left out. */
export const MAX_MISSING_SHARE = 0.2;

export function prepareSegmentationData(
  rows: IntakeRow[],
  items: string[],
  maxMissingShare = MAX_MISSING_SHARE,
): PreparedSegmentationData {
  const value = (r: IntakeRow, item: string): number | null => {
    const v = r.answers[item];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  // Items no client answered first: they are not part of the instrument used, not a gap of everyone's.
  const unanswered = items.filter((i) => !rows.some((r) => value(r, i) !== null));
  const asked = items;
  items = items.filter((i) => !unanswered.includes(i));
  const kept: IntakeRow[] = [];
  let excluded = 0;
  for (const r of rows) {
    const missing = items.filter((i) => value(r, i) === null).length;
    if (items.length === 0 || missing / items.length > maxMissingShare) excluded++;
    else kept.push(r);
  }
  const stats = items.map((item) => {
    let n = 0;
    let sum = 0;
    for (const r of kept) {
      const v = value(r, item);
      if (v !== null) {
        n++;
        sum += v;
      }
    }
    const mean = n ? sum / n : 0;
    // Population SD over all kept clients, gaps counted at the mean (they add nothing to the sum).
    let ss = 0;
    for (const r of kept) {
      const v = value(r, item);
      if (v !== null) ss += (v - mean) ** 2;
    }
    const sd = kept.length ? Math.sqrt(ss / kept.length) : 0;
    return { item, mean, sd };
  });
  const usable = stats.filter((s) => s.sd > 0);
  return {
    clientIds: kept.map((r) => r.clientId),
    excluded,
    items: usable.map((s) => s.item),
    // In the order asked.
    droppedItems: asked.filter((i) => unanswered.includes(i) || stats.some((s) => s.item === i && !(s.sd > 0))),
    raw: kept.map((r) => usable.map((s) => value(r, s.item))),
    z: kept.map((r) =>
      usable.map((s) => {
        const v = value(r, s.item);
        return v === null ? 0 : (v - s.mean) / s.sd;
      }),
    ),
    means: usable.map((s) => s.mean),
    sds: usable.map((s) => s.sd),
  };
}

/** A new client's answers standardised with a run's items, means and SDs (gaps at the mean). */
export function standardise(
  answers: Readonly<Record<string, number | null | undefined>>,
  model: { items: string[]; means: number[]; sds: number[] },
): number[] {
  return model.items.map((item, j) => {
    const v = answers[item];
    return typeof v === 'number' && Number.isFinite(v) ? (v - model.means[j]) / model.sds[j] : 0;
  });
}
