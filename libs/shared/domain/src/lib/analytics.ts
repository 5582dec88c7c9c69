/**
 * Analytics contracts (docs/api.md "Analytics", docs/metrics.md). Figures are computed by
 * @klantmonitor/shared/metrics; these are the shapes the api returns and the dashboard reads.
 */
import type { StepCode } from './steps';
import type { SupportType } from './counseling';

export const GROUP_KEYS = ['municipality', 'clientType', 'period'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export const PERIOD_UNITS = ['month', 'quarter'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** The client type of trajectories without an intake assessment within 30 days (docs/metrics.md). */
export const UNKNOWN_CLIENT_TYPE = 'unknown';

/** Small cells: the default threshold, and the floor no caller can go below (docs/metrics.md). */
export const DEFAULT_MIN_CELL = 10;
export const MIN_CELL_FLOOR = 5;
/** The most a minCell may be, as a setting and in a query: one limit for both (docs/metrics.md). */
export const MIN_CELL_MAX = 1000;

/** Support intensity looks at the first 90 days after first contact (docs/metrics.md). */
export const SUPPORT_WINDOW_DAYS = 90;

/** The keys of a row: only those in `groupBy` are present. */
export interface GroupFields {
  municipality?: string;
  clientType?: string;
  period?: string;
}

interface Suppressible {
  /**
   * True when the row's denominator is below minCell, or the row was hidden so that another
   * cannot be computed by subtraction (secondary suppression): its denominator, counts and
   * shares are null.
   */
  suppressed: boolean;
}

export interface StepAttainmentRow extends GroupFields, Suppressible {
  eligible: number | null;
  reached: number | null;
  share: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Only when grouped by municipality and not by client type (case-mix adjustment). */
  expected?: number | null;
  oe?: number | null;
}

export interface DropoutRow extends GroupFields, Suppressible {
  n: number | null;
  dropped: number | null;
  share: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  byPhase: Record<StepCode, number> | null;
  /** byPhase.first_contact / dropped: dropout right after intake. */
  momentOfTruth: number | null;
}

export interface CurvePoint {
  day: number;
  cif: number;
}

export interface TimeToStepRow extends GroupFields, Suppressible {
  n: number | null;
  medianDays: number | null;
  /** The median's 95% interval (docs/metrics.md); null: that bound is beyond the followed period. */
  medianCiLow?: number | null;
  medianCiHigh?: number | null;
  curve: CurvePoint[] | null;
}

export interface ExperienceRow extends GroupFields, Suppressible {
  phase: StepCode;
  n: number | null;
  mean: number | null;
}

export interface ExperienceTotal extends Suppressible {
  n: number | null;
  mean: number | null;
  byPhase: ExperienceRow[];
}

export interface SupportRow extends GroupFields, Suppressible {
  /** Trajectories whose first 90 days are complete on asOf. */
  n: number | null;
  withAdministrative: number | null;
  administrativeShare: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  meanMinutes: Record<SupportType, number> | null;
}

export interface ResponseRateRow extends GroupFields, Suppressible {
  sent: number | null;
  completed: number | null;
  share: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Sent, not answered, and still open on asOf (not yet past their last day). */
  open: number | null;
}

/** GET /analytics/waiting-time (#26, metrics.md "Waiting time and the legal first-meeting term"). */
export interface WaitingTimeRow extends GroupFields, Suppressible {
  /** Requests for help in the cohort (by registration date). */
  n: number | null;
  /** Of them, with a first contact on or before asOf. */
  seen: number | null;
  /** Days from request to first contact at which the Kaplan-Meier share seen reaches 1/2 (not seen: censored at asOf). */
  medianDays: number | null;
  medianCiLow: number | null;
  medianCiHigh: number | null;
  /** Requests whose legal term ended on or before asOf. */
  termDue: number | null;
  /** Of them, seen on or before their due date. */
  termMet: number | null;
  /** termMet / termDue, with its Wilson interval; null when termDue is below minCell. */
  withinTerm: number | null;
  withinTermCiLow: number | null;
  withinTermCiHigh: number | null;
  /** Share of requests with a crisis. */
  crisisShare: number | null;
}

export interface AnalyticsAnswer<Row, Total = Row> {
  rows: Row[];
  total: Total;
  /** When the data these figures come from was last recomputed (ISO timestamp). */
  computedAt: string;
  /** The resolved query: defaults filled in. */
  query: Record<string, unknown>;
  /** With `compareTo`: the comparison group's total for the same question (docs/api.md). */
  reference?: ComparisonReference<Total>;
  /** Present when the answer holds other organisations' figures. */
  protected?: ProtectedInfo;
}

/** How an answer with other organisations' figures was made (metrics.md "Protected figures"). */
export interface ProtectedInfo {
  window: { kind: string; quarters: string[]; from: string; to: string };
  total: 'national';
}

/** The answer of each endpoint, typed by its rows: what the page, the exports and the report read. */
export type StepAttainmentAnswer = AnalyticsAnswer<StepAttainmentRow>;
export type DropoutAnswer = AnalyticsAnswer<DropoutRow>;
export type TimeToStepAnswer = AnalyticsAnswer<TimeToStepRow>;
export type ExperienceAnswer = AnalyticsAnswer<ExperienceRow, ExperienceTotal>;
export type SupportAnswer = AnalyticsAnswer<SupportRow>;
export type ResponseRateAnswer = AnalyticsAnswer<ResponseRateRow>;
export type WaitingTimeAnswer = AnalyticsAnswer<WaitingTimeRow>;

export interface ComparisonReference<Total> {
  group: { id: string; name: string; scope: 'platform' | 'organisation'; municipalities: string[] };
  /** `suppressed` when the group's cell is hidden (too few clients, or shared municipalities). */
  total: Total;
  /** Why a total is hidden beyond small cells: `shared` (own group with others' clients), `no_data`. */
  reason?: 'shared' | 'no_data';
  window?: { kind: string; quarters: string[] };
}

export interface JobStatus {
  jobId: string;
  name: string;
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'prioritized' | 'waiting-children' | 'unknown';
  /** 0..100 */
  progress: number;
  result?: unknown;
  failedReason?: string;
}
