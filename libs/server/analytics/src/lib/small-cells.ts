import { DEFAULT_MIN_CELL, type GroupFields } from '@klantmonitor/shared/domain';
import type { MinCellFor } from '@klantmonitor/shared/metrics';

/**
 * The small-cell policy (docs/metrics.md, docs/security.md "Small cells"), in one place: from how
 * many clients a row is shown to this caller.
 * - Rows of the caller's own municipalities: the caller's minCell (asked, else its organisation's
 *   setting; never below the floor, which the query parser enforces).
 * - Rows that cover another organisation's municipality: at least the platform default (10) and at
 *   least that organisation's own setting, whatever the caller asks.
 * - The total (no municipality): as a row that covers every selected municipality.
 * `others` maps each municipality taking part to the strictest setting among the other
 * organisations serving it (0: served by the caller only); a municipality missing from it is
 * treated as another organisation's.
 */
export function minCellPolicy(
  minCell: number,
  others: ReadonlyMap<string, number>,
  selected: readonly string[],
): { minCellFor: MinCellFor; defaultFits: boolean } {
  const strictestAll = selected.reduce((m, code) => Math.max(m, others.get(code) ?? 0), 0);
  const othersInAll = selected.some((m) => (others.get(m) ?? 0) > 0);
  const minCellFor: MinCellFor = (row) => {
    const municipality = (row as GroupFields | null)?.municipality;
    if (municipality === undefined) return othersInAll ? Math.max(minCell, DEFAULT_MIN_CELL, strictestAll) : minCell;
    const strictest = others.get(municipality) ?? DEFAULT_MIN_CELL;
    return strictest > 0 ? Math.max(minCell, DEFAULT_MIN_CELL, strictest) : minCell;
  };
  // The stored answer is suppressed at the default everywhere: right when nobody involved asks for more.
  return { minCellFor, defaultFits: minCell === DEFAULT_MIN_CELL && strictestAll <= DEFAULT_MIN_CELL };
}
