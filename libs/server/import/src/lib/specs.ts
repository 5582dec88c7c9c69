/**
 * What each import accepts (docs/api.md, Import) and how one row is checked. Pure: the caller passes
 * what it knows (municipalities served, today, client references seen earlier in the file).
 */
import {
  CLIENT_REF_PATTERN,
  EARLIEST_DATE,
  DROPOUT_REASONS,
  looksLikeBsn,
  STEP_CODES,
  CRISIS_KINDS,
  type CrisisKind,
  type DropoutReason,
  type StepCode,
} from '@klantmonitor/shared/domain';
import { parseDateCell } from './dates';

export interface RowProblem {
  column: string;
  message: string;
  /** Stable code (with params) so a user interface can say it in its own language. */
  code: string;
  params?: Record<string, string>;
}

const problem = (column: string, code: string, message: string, params?: Record<string, string>): RowProblem => ({
  column,
  message,
  code,
  ...(params ? { params } : {}),
});

export interface ImportContext {
  today: string;
  servedMunicipalities: ReadonlySet<string>;
  /**
   * The served municipalities' names (lower case) to their CBS codes: a row may name one of them
   * instead of giving its code (the result says how many rows did, in `municipalityNames`).
   */
  servedNames?: ReadonlyMap<string, string>;
  /** Rows so far whose municipality was a served municipality's name (the validator adds to it). */
  municipalityNames?: number;
  /** Client references earlier in this file (the validator adds to it). */
  seenRefs: Set<string>;
}

export interface ImportSpec<T> {
  kind: string;
  required: readonly string[];
  optional: readonly string[];
  /** Sets of optional columns of which the header needs at least one. */
  oneOf?: readonly (readonly string[])[];
  /** Columns named by a pattern (intake items); null when the import has fixed columns. */
  extra?: RegExp;
  validate(cells: Record<string, string>, ctx: ImportContext): { value: T } | { problems: RowProblem[] };
}

function clientRef(cells: Record<string, string>, ctx: ImportContext, problems: RowProblem[], unique: boolean): string {
  const ref = (cells['client_ref'] ?? '').trim();
  if (!ref) problems.push(problem('client_ref', 'required', 'is required'));
  else if (!CLIENT_REF_PATTERN.test(ref))
    problems.push(problem('client_ref', 'client_ref_format', 'must be 1-64 letters, digits or . _ - /'));
  else if (looksLikeBsn(ref))
    problems.push(problem('client_ref', 'bsn', 'looks like a BSN; use your own client number'));
  else if (unique) {
    if (ctx.seenRefs.has(ref))
      problems.push(problem('client_ref', 'duplicate_ref', `${ref} appears more than once in this file`, { ref }));
    ctx.seenRefs.add(ref);
  }
  return ref;
}

function date(
  cells: Record<string, string>,
  column: string,
  ctx: ImportContext,
  problems: RowProblem[],
  required = false,
): string | null {
  const parsed = parseDateCell(cells[column] ?? '');
  if (parsed === undefined) {
    problems.push(
      problem(column, 'not_a_date', `"${cells[column]}" is not a date (use YYYY-MM-DD)`, {
        value: cells[column] ?? '',
      }),
    );
    return null;
  }
  if (parsed === null) {
    if (required) problems.push(problem(column, 'required', 'is required'));
    return null;
  }
  if (parsed > ctx.today) problems.push(problem(column, 'future', `${parsed} is in the future`, { date: parsed }));
  else if (parsed < EARLIEST_DATE)
    problems.push(
      problem(column, 'too_early', `${parsed} is before ${EARLIEST_DATE}`, { date: parsed, earliest: EARLIEST_DATE }),
    );
  return parsed;
}

export interface TrajectoryRow {
  clientRef: string;
  municipality: string;
  /** The request for help; the first contact when the file has none (as POST /clients). */
  registeredOn: string;
  crisis: CrisisKind | null;
  /** Null: the client waits for the first meeting. */
  firstContact: string | null;
  steps: Partial<Record<StepCode, string>>;
  dropoutDate: string | null;
  dropoutReason: DropoutReason | null;
}

const LATER_STEPS = STEP_CODES.filter((s) => s !== 'first_contact');

export const TRAJECTORY_SPEC: ImportSpec<TrajectoryRow> = {
  kind: 'trajectories',
  // first_contact is optional (#26): a row without one is a request that waits (registered_on given).
  required: ['client_ref', 'municipality'],
  oneOf: [['first_contact', 'registered_on']],
  optional: ['first_contact', 'registered_on', 'crisis', ...LATER_STEPS, 'dropout_date', 'dropout_reason'],
  validate(cells, ctx) {
    const problems: RowProblem[] = [];
    const ref = clientRef(cells, ctx, problems, true);
    let municipality = (cells['municipality'] ?? '').trim().toUpperCase();
    // "Zwolle" for GM0193: the exact name of a municipality the organisation serves is as clear as
    // its code, so it is read as that code (and counted, so the result can say so). Any other text
    // ("Bergen", of which there are two) is refused with the example of a code.
    const byName = /^GM\d{4}$/.test(municipality)
      ? undefined
      : ctx.servedNames?.get((cells['municipality'] ?? '').trim().toLowerCase());
    if (byName) {
      municipality = byName;
      ctx.municipalityNames = (ctx.municipalityNames ?? 0) + 1;
    }
    if (!municipality) problems.push(problem('municipality', 'required', 'is required'));
    else if (!/^GM\d{4}$/.test(municipality))
      problems.push(
        problem(
          'municipality',
          'municipality_format',
          `"${cells['municipality']}" is not a CBS code such as GM0344, nor the name of a municipality you serve`,
          { value: cells['municipality'] ?? '' },
        ),
      );
    else if (!ctx.servedMunicipalities.has(municipality))
      problems.push(
        problem(
          'municipality',
          'municipality_unserved',
          `${municipality} is unknown or not served by your organisation`,
          { code: municipality },
        ),
      );
    const firstContact = date(cells, 'first_contact', ctx, problems);
    const registeredCell = date(cells, 'registered_on', ctx, problems);
    const firstGiven = (cells['first_contact'] ?? '').trim() !== '';
    const registeredGiven = (cells['registered_on'] ?? '').trim() !== '';
    if (!firstGiven && !registeredGiven)
      problems.push(
        problem(
          'first_contact',
          'first_contact_or_registered',
          'is required, or registered_on for a client who waits for the first meeting',
        ),
      );
    if (registeredCell && firstContact && registeredCell > firstContact)
      problems.push(
        problem(
          'registered_on',
          'registered_after_first_contact',
          `registered_on ${registeredCell} is after first_contact ${firstContact}: the request comes first`,
          { date: registeredCell, firstContact },
        ),
      );
    const registeredOn = registeredCell ?? firstContact;
    const crisisText = (cells['crisis'] ?? '').trim().toLowerCase();
    let crisis: CrisisKind | null = null;
    if (crisisText) {
      if ((CRISIS_KINDS as readonly string[]).includes(crisisText)) crisis = crisisText as CrisisKind;
      else
        problems.push(
          problem('crisis', 'unknown_crisis', `"${cells['crisis']}" is not one of ${CRISIS_KINDS.join(', ')}`, {
            value: cells['crisis'] ?? '',
          }),
        );
    }
    const steps: Partial<Record<StepCode, string>> = {};
    for (const step of LATER_STEPS) {
      const d = date(cells, step, ctx, problems);
      if (d && !firstGiven)
        problems.push(
          problem(step, 'step_without_first_contact', `${d} is given but first_contact is empty`, { date: d }),
        );
      if (d && firstContact && d < firstContact)
        problems.push(
          problem(step, 'before_first_contact', `${d} is before first_contact ${firstContact}`, {
            date: d,
            firstContact,
          }),
        );
      if (d) steps[step] = d;
    }
    const dropoutDate = date(cells, 'dropout_date', ctx, problems);
    if (dropoutDate && !firstContact && registeredOn && dropoutDate < registeredOn)
      problems.push(
        problem('dropout_date', 'before_registered', `${dropoutDate} is before registered_on ${registeredOn}`, {
          date: dropoutDate,
          registeredOn,
        }),
      );
    if (dropoutDate && firstContact && dropoutDate < firstContact) {
      problems.push(
        problem('dropout_date', 'before_first_contact', `${dropoutDate} is before first_contact ${firstContact}`, {
          date: dropoutDate,
          firstContact,
        }),
      );
    }
    const reasonText = (cells['dropout_reason'] ?? '').trim().toLowerCase();
    let dropoutReason: DropoutReason | null = null;
    if (reasonText) {
      if ((DROPOUT_REASONS as readonly string[]).includes(reasonText)) dropoutReason = reasonText as DropoutReason;
      else
        problems.push(
          problem(
            'dropout_reason',
            'unknown_reason',
            `"${cells['dropout_reason']}" is not one of ${DROPOUT_REASONS.join(', ')}`,
            { value: cells['dropout_reason'] ?? '' },
          ),
        );
      if (!dropoutDate && !(cells['dropout_date'] ?? '').trim())
        problems.push(problem('dropout_date', 'reason_without_date', 'is required when dropout_reason is given'));
    }
    if (problems.length) return { problems };
    return {
      value: {
        clientRef: ref,
        municipality,
        registeredOn: registeredOn as string,
        crisis,
        firstContact,
        steps,
        dropoutDate,
        dropoutReason,
      },
    };
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
    if (!type) problems.push(problem('client_type', 'required', 'is required'));
    else if (!/^[a-z0-9_-]{1,64}$/.test(type))
      problems.push(problem('client_type', 'client_type_format', 'must be a code of letters, digits, - or _'));
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
        else problems.push(problem(code, 'not_on_scale', `"${t}" is not a whole number from 1 to 5`, { value: t }));
      }
      if (problems.length) return { problems };
      return { value: { clientRef: ref, answeredOn: answeredOn as string, answers } };
    },
  };
}
