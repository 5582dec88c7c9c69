/**
 * What each import accepts (api-v1.md, Import) and how one row is checked. Pure: the caller passes
 * what it knows (municipalities served, today, client references seen earlier in the file).
 */
import {
  CLIENT_REF_PATTERN,
  DROPOUT_REASONS,
  looksLikeBsn,
  STEP_CODES,
  type DropoutReason,
  type StepCode,
} from '@klantmonitor/shared/domain';
import { parseDateCell } from './dates';

export interface RowProblem {
  column: string;
  message: string;
}

export interface ImportContext {
  today: string;
  servedMunicipalities: ReadonlySet<string>;
  /** Client references earlier in this file (the validator adds to it). */
  seenRefs: Set<string>;
}

export interface ImportSpec<T> {
  kind: string;
  required: readonly string[];
  optional: readonly string[];
  /** Columns named by a pattern (intake items); null when the import has fixed columns. */
  extra?: RegExp;
  validate(cells: Record<string, string>, ctx: ImportContext): { value: T } | { problems: RowProblem[] };
}

function clientRef(cells: Record<string, string>, ctx: ImportContext, problems: RowProblem[], unique: boolean): string {
  const ref = (cells['client_ref'] ?? '').trim();
  if (!ref) problems.push({ column: 'client_ref', message: 'is required' });
  else if (!CLIENT_REF_PATTERN.test(ref)) problems.push({ column: 'client_ref', message: 'must be 1-64 letters, digits or . _ - /' });
  else if (looksLikeBsn(ref)) problems.push({ column: 'client_ref', message: 'looks like a BSN; use your own client number' });
  else if (unique) {
    if (ctx.seenRefs.has(ref)) problems.push({ column: 'client_ref', message: `${ref} appears more than once in this file` });
    ctx.seenRefs.add(ref);
  }
  return ref;
}

function date(cells: Record<string, string>, column: string, ctx: ImportContext, problems: RowProblem[], required = false): string | null {
  const parsed = parseDateCell(cells[column] ?? '');
  if (parsed === undefined) {
    problems.push({ column, message: `"${cells[column]}" is not a date (use YYYY-MM-DD)` });
    return null;
  }
  if (parsed === null) {
    if (required) problems.push({ column, message: 'is required' });
    return null;
  }
  if (parsed > ctx.today) problems.push({ column, message: `${parsed} is in the future` });
  return parsed;
}

export interface TrajectoryRow {
  clientRef: string;
  municipality: string;
  firstContact: string;
  steps: Partial<Record<StepCode, string>>;
  dropoutDate: string | null;
  dropoutReason: DropoutReason | null;
}

const LATER_STEPS = STEP_CODES.filter((s) => s !== 'first_contact');

export const TRAJECTORY_SPEC: ImportSpec<TrajectoryRow> = {
  kind: 'trajectories',
  required: ['client_ref', 'municipality', 'first_contact'],
  optional: [...LATER_STEPS, 'dropout_date', 'dropout_reason'],
  validate(cells, ctx) {
    const problems: RowProblem[] = [];
    const ref = clientRef(cells, ctx, problems, true);
    const municipality = (cells['municipality'] ?? '').trim().toUpperCase();
    if (!municipality) problems.push({ column: 'municipality', message: 'is required' });
    else if (!/^GM\d{4}$/.test(municipality)) problems.push({ column: 'municipality', message: `"${cells['municipality']}" is not a CBS code such as GM0344` });
    else if (!ctx.servedMunicipalities.has(municipality)) problems.push({ column: 'municipality', message: `${municipality} is unknown or not served by your organisation` });
    const firstContact = date(cells, 'first_contact', ctx, problems, true);
    const steps: Partial<Record<StepCode, string>> = {};
    for (const step of LATER_STEPS) {
      const d = date(cells, step, ctx, problems);
      if (d && firstContact && d < firstContact) problems.push({ column: step, message: `${d} is before first_contact ${firstContact}` });
      if (d) steps[step] = d;
    }
    const dropoutDate = date(cells, 'dropout_date', ctx, problems);
    if (dropoutDate && firstContact && dropoutDate < firstContact) {
      problems.push({ column: 'dropout_date', message: `${dropoutDate} is before first_contact ${firstContact}` });
    }
    const reasonText = (cells['dropout_reason'] ?? '').trim().toLowerCase();
    let dropoutReason: DropoutReason | null = null;
    if (reasonText) {
      if ((DROPOUT_REASONS as readonly string[]).includes(reasonText)) dropoutReason = reasonText as DropoutReason;
      else problems.push({ column: 'dropout_reason', message: `"${cells['dropout_reason']}" is not one of ${DROPOUT_REASONS.join(', ')}` });
      if (!dropoutDate && !(cells['dropout_date'] ?? '').trim()) problems.push({ column: 'dropout_date', message: 'is required when dropout_reason is given' });
    }
    if (problems.length) return { problems };
    return { value: { clientRef: ref, municipality, firstContact: firstContact as string, steps, dropoutDate, dropoutReason } };
  },
};

export interface AssessmentRow {
  clientRef: string;
  assessedOn: string;
  clientType: string;
}

export const ASSESSMENT_SPEC: ImportSpec<AssessmentRow> = {
  kind: 'assessments',
  required: ['client_ref', 'assessed_on', 'client_type'],
  optional: [],
  validate(cells, ctx) {
    const problems: RowProblem[] = [];
    const ref = clientRef(cells, ctx, problems, false);
    const assessedOn = date(cells, 'assessed_on', ctx, problems, true);
    const type = (cells['client_type'] ?? '').trim().toLowerCase();
    if (!type) problems.push({ column: 'client_type', message: 'is required' });
    else if (!/^[a-z0-9_-]{1,64}$/.test(type)) problems.push({ column: 'client_type', message: 'must be a code of letters, digits, - or _' });
    if (problems.length) return { problems };
    return { value: { clientRef: ref, assessedOn: assessedOn as string, clientType: type } };
  },
};

export interface IntakeAnswersRow {
  clientRef: string;
  answeredOn: string;
  answers: Record<string, number | null>;
}

/** Intake answers (segmentation): item columns by code, each an integer 1..5 or empty. */
export function intakeAnswersSpec(itemCodes: readonly string[]): ImportSpec<IntakeAnswersRow> {
  return {
    kind: 'intake-answers',
    required: ['client_ref', 'answered_on'],
    optional: itemCodes,
    validate(cells, ctx) {
      const problems: RowProblem[] = [];
      const ref = clientRef(cells, ctx, problems, false);
      const answeredOn = date(cells, 'answered_on', ctx, problems, true);
      const answers: Record<string, number | null> = {};
      for (const code of itemCodes) {
        const t = (cells[code] ?? '').trim();
        if (t === '') answers[code] = null;
        else if (/^[1-5]$/.test(t)) answers[code] = Number(t);
        else problems.push({ column: code, message: `"${t}" is not a whole number from 1 to 5` });
      }
      if (problems.length) return { problems };
      return { value: { clientRef: ref, answeredOn: answeredOn as string, answers } };
    },
  };
}
