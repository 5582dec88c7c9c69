/** Experience per step: mean item score per phase (docs/metrics.md). */
import { STEP_CODES, type ExperienceRow, type ExperienceTotal, type StepCode } from '@klantmonitor/shared/domain';
import { type IsoDate } from '@klantmonitor/shared/domain';
import { phaseOn } from '../effective-steps';
import { groupCells, sum, suppressionMask, type CellKey, type Grouping, type MinCellFor } from './grouping';
import { keyOf, type PreparedTrajectory } from './trajectory';

export interface ExperienceCell extends CellKey {
  phase: StepCode;
  n: number;
  sum: number;
}

/** A usable score: a whole number 1..5 (a skipped optional item is null and does not count). */
export const isScore = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;

/**
 * Cells of one trajectory's responses to `item` on or before asOf. A response belongs to the phase
 * = last step with eff(s) <= its date, using the effective dates as known on asOf (so a step marked
 * later with an earlier date moves the response into that step's phase).
 */
export function experienceCells(t: PreparedTrajectory, item: string, asOf: IsoDate): ExperienceCell[] {
  const out: ExperienceCell[] = [];
  for (const r of t.record.responses ?? []) {
    if (r.respondedOn > asOf || r.respondedOn < t.firstContact) continue;
    const score = r.answers[item];
    if (!isScore(score)) continue;
    out.push({
      ...keyOf(t),
      phase: phaseOn(t.eff, r.respondedOn),
      n: 1,
      sum: score,
    });
  }
  return out;
}

function row(fields: object, phase: StepCode, cells: ExperienceCell[]): ExperienceRow {
  const n = sum(cells, (c) => c.n);
  return {
    ...fields,
    phase,
    n,
    mean: n > 0 ? sum(cells, (c) => c.sum) / n : null,
    suppressed: false,
  };
}

/** Rows per group and phase (in step order), and the total per phase and over all phases. */
export function experience(cells: ExperienceCell[], g: Grouping): { rows: ExperienceRow[]; total: ExperienceTotal } {
  const rows: ExperienceRow[] = [];
  for (const grp of groupCells(cells, g)) {
    for (const phase of STEP_CODES) {
      const inPhase = grp.cells.filter((c) => c.phase === phase);
      if (inPhase.length > 0) rows.push(row(grp.fields, phase, inPhase));
    }
  }
  const n = sum(cells, (c) => c.n);
  const byPhase = STEP_CODES.map((phase) =>
    row(
      {},
      phase,
      cells.filter((c) => c.phase === phase),
    ),
  ).filter((r) => (r.n ?? 0) > 0);
  return {
    rows,
    total: {
      n,
      mean: n > 0 ? sum(cells, (c) => c.sum) / n : null,
      byPhase,
      suppressed: false,
    },
  };
}

export function suppressExperience(r: ExperienceRow, minCell: number): ExperienceRow {
  return (r.n ?? 0) >= minCell ? r : { ...r, n: null, mean: null, suppressed: true };
}

export function suppressExperienceAnswer(
  a: { rows: ExperienceRow[]; total: ExperienceTotal },
  minCellFor: MinCellFor,
  secondary = true,
) {
  const threshold = minCellFor(null);
  const total = (a.total.n ?? 0) >= threshold ? a.total : { ...a.total, n: null, mean: null, suppressed: true };
  // The rows of one phase are the parts of that phase's total (total.byPhase).
  const mask = secondary
    ? suppressionMask(
        a.rows,
        (r) => r.n ?? 0,
        minCellFor,
        (r) => r.phase,
      )
    : a.rows.map((r) => (r.n ?? 0) < minCellFor(r));
  return {
    rows: a.rows.map((r, i) => (mask[i] ? suppressExperience(r, Infinity) : r)),
    total: {
      ...total,
      byPhase: a.total.byPhase.map((r) => suppressExperience(r, threshold)),
    },
  };
}
