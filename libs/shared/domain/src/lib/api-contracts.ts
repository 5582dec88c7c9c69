import type {
  DropoutReason,
  HouseholdType,
  IncomeBand,
  ServiceKind,
  StepDates,
  SupportChannel,
  SupportType,
  TrajectoryStatus,
} from './counseling';
import type { StepCode } from './steps';
import type { OrganisationRole, Role } from './roles';
import type { Municipality } from './municipality';

/** Error body of every non-2xx answer (api-v1.md, Conventions). */
export interface ApiErrorDetail {
  /** The field, query parameter, row/column or item the problem is about. */
  field: string;
  message: string;
}
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  details?: ApiErrorDetail[];
}

export interface LoginRequest {
  email: string;
  password: string;
  totp?: string;
}
export interface LoginResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface MeResponse {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  organisation: { id: string; name: string; municipalities: Municipality[] } | null;
}

export interface CreateOrganisationRequest {
  name: string;
  municipalities: string[];
}
export interface OrganisationResponse {
  id: string;
  name: string;
  municipalities: Municipality[];
  createdAt: string;
}

export interface CreateUserRequest {
  email: string;
  password: string;
  role: OrganisationRole;
  name?: string;
}
export interface UserResponse {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
}

export type ComponentState = 'up' | 'down';
export interface HealthResponse {
  /** ok: everything up; degraded: Redis or the worker is away (changes are still accepted); down: no database. */
  status: 'ok' | 'degraded' | 'down';
  checks: {
    database: { status: ComponentState; latencyMs: number | null };
    redis: { status: ComponentState; latencyMs: number | null };
    worker: { status: ComponentState; lastSeenAt: string | null };
  };
  version: string;
}

// ---- Counselor workflow (api-v1.md, Clients and trajectories) ----

export interface CreateClientRequest {
  clientRef: string;
  municipality: string;
  firstContact: string;
  email?: string;
  phone?: string;
  householdType?: HouseholdType;
  incomeBand?: IncomeBand;
  birthYearBand?: string;
}
export interface CreateClientResponse {
  id: string;
  trajectoryId: string;
}

export interface CaseloadItem {
  id: string;
  clientRef: string;
  trajectoryId: string;
  municipality: Municipality;
  firstContact: string;
  status: TrajectoryStatus;
  /** Effective step dates (monotone closure, metrics.md). */
  steps: StepDates;
  currentStep: StepCode;
  stalledSince: string | null;
  lastActivityOn: string;
  dropout: { date: string; reason: DropoutReason | null } | null;
  services: ServiceKind[];
  clientType: { code: string; name: string } | null;
  openAlerts: number;
}
export interface CaseloadResponse {
  items: CaseloadItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface StepEventView {
  id: string;
  step: StepCode;
  date: string;
  source: 'manual' | 'import';
  recordedAt: string;
  recordedBy: string | null;
  withdrawnAt: string | null;
}
export interface SupportContactView {
  id: string;
  date: string;
  type: SupportType;
  minutes: number;
  channel: SupportChannel;
}
export interface ServiceView {
  id: string;
  kind: ServiceKind;
  startedOn: string;
  endedOn: string | null;
}
export interface AssessmentView {
  assessedOn: string;
  clientType: { code: string; name: string };
  source: 'manual' | 'import' | 'model';
}
export interface AlertView {
  id: string;
  kind: 'stalled' | 'low_experience' | 'unanswered';
  raisedOn: string;
  details: Record<string, unknown> | null;
}
export interface ClientDetail {
  id: string;
  clientRef: string;
  email: string | null;
  phone: string | null;
  householdType: HouseholdType | null;
  incomeBand: IncomeBand | null;
  birthYearBand: string | null;
  createdAt: string;
  trajectory: {
    id: string;
    municipality: Municipality;
    firstContact: string;
    status: TrajectoryStatus;
    steps: StepDates;
    currentStep: StepCode;
    stepEvents: StepEventView[];
    dropout: { date: string; reason: DropoutReason | null } | null;
    stalledSince: string | null;
    lastActivityOn: string;
  };
  support: SupportContactView[];
  services: ServiceView[];
  assessments: AssessmentView[];
  alerts: AlertView[];
  /** Filled by the questionnaire capability. */
  questionnaireResponses: unknown[];
  spaartegoed: { balance: number };
}

export interface MarkStepRequest {
  step: StepCode;
  date: string;
}
export interface RecordDropoutRequest {
  date: string;
  reason: DropoutReason;
}
export interface RecordSupportRequest {
  date: string;
  type: SupportType;
  minutes: number;
  channel: SupportChannel;
}
/** Answer of the trajectory changes: the trajectory as it stands afterwards. */
export interface TrajectoryStateResponse {
  id: string;
  status: TrajectoryStatus;
  steps: StepDates;
  currentStep: StepCode;
  stalledSince: string | null;
  lastActivityOn: string;
}

export interface CaseloadFigures {
  /** Open trajectories. */
  open: number;
  /** Open trajectories by their furthest step. */
  perStep: Record<StepCode, number>;
  stalled: number;
  droppedOut: number;
  /** Median days from first contact to "income and expenses in view", over those who reached it. */
  medianDaysToIuInView: number | null;
  reachedIuInView: number;
}
export interface CaseloadSummaryResponse {
  /** The signed-in counselor's own clients (null for an organisation admin). */
  mine: CaseloadFigures | null;
  team: CaseloadFigures;
}

export interface ImportRowError {
  /** Spreadsheet row number: the header is row 1. */
  row: number;
  column: string;
  message: string;
  /** Stable problem code (required, not_a_date, future, municipality_unserved, ...) with its values. */
  code?: string;
  params?: Record<string, string>;
}
export interface ImportResult {
  dryRun: boolean;
  /** Data rows read. */
  rows: number;
  /** Rows written (0 for a dry run or when any row has an error). */
  imported: number;
  created: number;
  updated: number;
  /** At most the first 1,000 problems; errorCount has them all. */
  errors: ImportRowError[];
  errorCount: number;
}
export interface ImportProgress {
  phase: 'reading' | 'writing' | 'done' | 'failed';
  rowsRead: number;
  bytesRead: number;
  totalBytes: number | null;
  updatedAt: string;
}

export interface StartServiceRequest {
  kind: ServiceKind;
  startedOn: string;
  endedOn?: string;
}
export interface EndServiceRequest {
  endedOn: string;
}
