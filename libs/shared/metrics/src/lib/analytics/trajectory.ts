/**
 * One trajectory as docs/metrics.md sees it on `asOf`: effective step dates cut at asOf, the dropout if
 * it happened by then, and the intake client type. This is the reference path used by the tests and
 * the definition the SQL of the recompute follows (server/analytics).
 */
import { UNKNOWN_CLIENT_TYPE, type StepCode, type SupportType } from '@klantmonitor/shared/domain';
import { addDays, daysBetween, type IsoDate } from '@klantmonitor/shared/domain';
import { effectiveStepDates, type EffectiveSteps, type RecordedSteps } from '../effective-steps';
import type { CellKey } from './grouping';

export interface AssessmentRecord {
  assessedOn: IsoDate;
  clientType: string;
}

export interface TrajectoryRecord {
  municipality: string;
  firstContact: IsoDate;
  /** Recorded step dates (first_contact is the trajectory's own date). */
  steps?: RecordedSteps;
  dropoutOn?: IsoDate | null;
  assessments?: AssessmentRecord[];
  support?: { occurredOn: IsoDate; type: SupportType; minutes: number }[];
  responses?: {
    respondedOn: IsoDate;
    answers: Record<string, number | null | undefined>;
  }[];
  invitations?: {
    sentOn: IsoDate;
    expiresOn: IsoDate;
    completedOn: IsoDate | null;
  }[];
}

export interface PreparedTrajectory {
  record: TrajectoryRecord;
  municipality: string;
  firstContact: IsoDate;
  month: string;
  clientType: string;
  /** Effective dates with everything after asOf ignored. */
  eff: EffectiveSteps;
  /** The dropout date when on or before asOf, else null. */
  dropoutOn: IsoDate | null;
}

/** Days within which an intake assessment counts as the intake type (docs/metrics.md). */
export const INTAKE_ASSESSMENT_DAYS = 30;

/**
 * The intake type: the type of the earliest assessment with assessed_on <= first_contact + 30 days;
 * `unknown` if there is none. Assessments after asOf are events after asOf and are ignored (if the
 * earliest one is after asOf, every other one is too).
 */
export function intakeClientType(
  firstContact: IsoDate,
  assessments: AssessmentRecord[] | undefined,
  asOf: IsoDate,
): string {
  const limit = addDays(firstContact, INTAKE_ASSESSMENT_DAYS);
  let earliest: AssessmentRecord | null = null;
  for (const a of assessments ?? []) if (earliest === null || a.assessedOn < earliest.assessedOn) earliest = a;
  if (earliest === null || earliest.assessedOn > limit || earliest.assessedOn > asOf) return UNKNOWN_CLIENT_TYPE;
  return earliest.clientType;
}

/** The trajectory on asOf, or null when its first contact is after asOf (left out entirely). */
export function prepareTrajectory(record: TrajectoryRecord, asOf: IsoDate): PreparedTrajectory | null {
  if (record.firstContact > asOf) return null;
  const eff = effectiveStepDates({ ...record.steps, first_contact: record.firstContact }, asOf);
  const dropoutOn = record.dropoutOn && record.dropoutOn <= asOf ? record.dropoutOn : null;
  return {
    record,
    municipality: record.municipality,
    firstContact: record.firstContact,
    month: record.firstContact.slice(0, 7),
    clientType: intakeClientType(record.firstContact, record.assessments, asOf),
    eff,
    dropoutOn,
  };
}

/** The common filters of docs/api.md: cohort (first contact, inclusive), municipalities, client types. */
export interface CohortFilter {
  asOf: IsoDate;
  cohortFrom?: IsoDate | null;
  cohortTo?: IsoDate | null;
  municipalities?: string[] | null;
  clientTypes?: string[] | null;
}

export function inCohort(t: PreparedTrajectory, f: CohortFilter): boolean {
  if (f.cohortFrom && t.firstContact < f.cohortFrom) return false;
  if (f.cohortTo && t.firstContact > f.cohortTo) return false;
  if (f.municipalities && !f.municipalities.includes(t.municipality)) return false;
  if (f.clientTypes && !f.clientTypes.includes(t.clientType)) return false;
  return true;
}

/** Prepared cohort trajectories of a set of records. */
export function cohortOf(records: TrajectoryRecord[], f: CohortFilter): PreparedTrajectory[] {
  const out: PreparedTrajectory[] = [];
  for (const r of records) {
    const t = prepareTrajectory(r, f.asOf);
    if (t && inCohort(t, f)) out.push(t);
  }
  return out;
}

export const keyOf = (t: PreparedTrajectory): CellKey => ({
  municipality: t.municipality,
  clientType: t.clientType,
  month: t.month,
});

/** days(x) = x - first_contact, whole days. */
export const daysFrom = (t: { firstContact: IsoDate }, date: IsoDate): number => daysBetween(t.firstContact, date);

export type { StepCode };
