import { canonicalImportColumn, dutchImportColumn } from '@klantmonitor/shared/domain';
import { ImportContext, ImportSpec, RowProblem } from './specs';
import { IMPORT_LIMITS, ImportLimits, readRows } from './read-rows';

export class ImportHeaderError extends Error {
  constructor(readonly problems: RowProblem[]) {
    super(problems.map((p) => `${p.column}: ${p.message}`).join('; '));
  }
}

export type ImportItem<T> = { row: number; value: T } | { row: number; problems: RowProblem[] };

/** Header names as people write them: trimmed, lower case, spaces as underscores. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_');
}

/**
 * Checks the header against the spec, then validates every data row. Row numbers count as a
 * spreadsheet does: the header is row 1. Throws ImportHeaderError for a header that cannot work.
 */
export async function* readImport<T>(
  source: AsyncIterable<Buffer>,
  spec: ImportSpec<T>,
  ctx: ImportContext,
  limits: ImportLimits = IMPORT_LIMITS,
): AsyncGenerator<ImportItem<T>> {
  let header: string[] | null = null;
  // A column's name as the file wrote it (Dutch or English), for the problems: they name it so.
  const asWritten = new Map<string, string>();
  const named = (p: RowProblem): RowProblem => {
    const written = asWritten.get(p.column);
    return written && written !== p.column ? { ...p, column: written } : p;
  };
  let rowNumber = 0;
  for await (const cells of readRows(source, limits)) {
    rowNumber++;
    if (!header) {
      const written = cells.map(normaliseHeader);
      header = written.map(canonicalImportColumn);
      header.forEach((col, i) => asWritten.set(col, written[i]));
      // A file that uses Dutch names hears about a missing column by its Dutch name.
      const dutch = written.some((w, i) => w !== header?.[i]);
      const known = new Set([...spec.required, ...spec.optional]);
      const problems: RowProblem[] = [];
      for (const col of spec.required)
        if (!header.includes(col))
          problems.push({
            column: dutch ? dutchImportColumn(col) : col,
            code: 'missing_column',
            message: 'required column is missing',
          });
      // Of these, at least one (trajectories: first_contact, or registered_on for waiting requests).
      for (const set of spec.oneOf ?? [])
        if (!set.some((c) => header?.includes(c)))
          problems.push({
            column: dutch ? dutchImportColumn(set[0]) : set[0],
            code: 'missing_column',
            message: `required column is missing (or ${set
              .slice(1)
              .map((c) => (dutch ? dutchImportColumn(c) : c))
              .join(', ')})`,
          });
      header.forEach((col, i) => {
        if (col === '') return;
        if (!known.has(col)) problems.push({ column: written[i], code: 'unknown_column', message: 'unknown column' });
        else if (header?.indexOf(col) !== i)
          problems.push({ column: written[i], code: 'repeated_column', message: 'column appears twice' });
      });
      if (problems.length) throw new ImportHeaderError(problems);
      continue;
    }
    const record: Record<string, string> = {};
    header.forEach((col, i) => {
      if (col) record[col] = cells[i] ?? '';
    });
    const extra = cells.slice(header.length).filter((c) => c.trim() !== '');
    const result = spec.validate(record, ctx);
    if (extra.length) {
      const problems = 'problems' in result ? result.problems.map(named) : [];
      yield {
        row: rowNumber,
        problems: [
          ...problems,
          {
            column: '(row)',
            code: 'extra_cells',
            message: `${extra.length} more cells than the header has columns`,
            params: { count: String(extra.length) },
          },
        ],
      };
    } else if ('problems' in result) yield { row: rowNumber, problems: result.problems.map(named) };
    else yield { row: rowNumber, value: result.value };
  }
}
