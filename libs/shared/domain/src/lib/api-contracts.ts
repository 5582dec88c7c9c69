import type {
  CloseReason,
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
import type { CrisisKind } from './first-meeting-term';

/** Error body of every non-2xx answer (docs/api.md, Conventions). */
export interface ApiErrorDetail {
  /** The field, query parameter, row/column or item the problem is about. */
  field: string;
  message: string;
}
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  /** A stable name for the refusal where one field does not say it (e.g. `name_in_use`): what UIs translate. */
  code?: string;
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
  /** Whether sign-in asks for a code from an authenticator app (TOTP). */
  totpEnabled: boolean;
  /**
   * Whether this account must use one (organisation or platform policy; platform admins in
   * production). Required but not enabled: only the own account page works until it is set up.
   */
  totpRequired: boolean;
  /** With a second factor: how many of its recovery codes are still unused. */
  recoveryCodesLeft?: number;
}

/** GET/PUT /organisations/:id/security and /platform/security. */
/** GET/PUT /organisations/:id/sso: the organisation's OpenID provider (never the secret). */
export interface SsoSettings {
  issuer: string;
  clientId: string;
  emailDomains: string[];
  hasClientSecret: boolean;
  trustProviderMfa: boolean;
  ssoOnly: boolean;
  updatedAt: string;
}
export interface SsoSettingsRequest {
  issuer: string;
  clientId: string;
  /** Left out: the stored one stays (required the first time). */
  clientSecret?: string;
  emailDomains: string[];
  trustProviderMfa: boolean;
  ssoOnly: boolean;
}

export interface SecurityPolicy {
  /** Roles whose accounts must use two-step verification (TOTP). */
  totpRequiredRoles: ('org_admin' | 'counselor' | 'policy_advisor')[];
}

/** POST /auth/totp/setup: a new secret to put in an authenticator app (confirmed by /enable). */
export interface TotpSetupResponse {
  /** base32, for typing in by hand */
  secret: string;
  otpauthUrl: string;
  /** The same link as a QR code (PNG data URL). */
  qrCode: string;
}
export interface TotpCodeRequest {
  totp: string;
}
export interface TotpStatusResponse {
  totpEnabled: boolean;
  /** When it was just turned on: ten single-use codes for a lost phone, shown this once. */
  recoveryCodes?: string[];
  /**
   * After a change: turning it on or off ends every session of the account, so the caller gets a
   * new access token here (and must use it from now on).
   */
  accessToken?: string;
  expiresIn?: number;
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
  /** False once a platform admin deactivated it: nobody signs in, out of the benchmark. */
  active: boolean;
}

export interface UpdateOrganisationRequest {
  name?: string;
  municipalities?: string[];
  active?: boolean;
}

export interface CreateUserRequest {
  email: string;
  /** Left out: an invitation e-mail lets the person choose it. */
  password?: string;
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
  /** Signs in with a code from an authenticator app (TOTP) too. */
  totpEnabled: boolean;
  /** May sign in; false once an admin deactivated the account. */
  active: boolean;
  /** When the account was linked to its user at the organisation's identity provider (first SSO sign-in). */
  ssoLinkedAt: string | null;
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

/** GET /health/system (platform admin): health with the queues' depths and recent failed jobs. */
export interface SystemHealthResponse extends HealthResponse {
  queues: {
    name: string;
    waiting: number;
    active: number;
    delayed: number;
    failed: number;
    /** The newest failed jobs (at most 5): what failed and why. */
    recentFailures: { job: string; reason: string; failedAt: string | null }[];
  }[];
  /** Null when Redis does not answer (the queue figures are then unknown). */
  queuesError: string | null;
}

// ---- Counselor workflow (docs/api.md, Clients and trajectories) ----

export interface CreateClientRequest {
  clientRef: string;
  municipality: string;
  /** The request for help (aanmelddatum); default: the first contact. */
  registeredOn?: string;
  /** What makes the request urgent (first meeting within 3 working days); null or absent: none. */
  crisis?: CrisisKind | null;
  /** Absent: the client is registered and waits for the first meeting. */
  firstContact?: string;
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
  /** The request for help (aanmelddatum). */
  registeredOn: string;
  crisis: CrisisKind | null;
  /** The legal term of the first meeting (metrics.md); still to meet while firstContact is null. */
  firstMeetingDue: string;
  /** Null while the request waits for its first meeting. */
  firstContact: string | null;
  status: TrajectoryStatus;
  /** Effective step dates (monotone closure, docs/metrics.md). */
  steps: StepDates;
  /** Null while waiting (no step reached). */
  currentStep: StepCode | null;
  stalledSince: string | null;
  lastActivityOn: string;
  dropout: { date: string; reason: DropoutReason | null } | null;
  services: ServiceKind[];
  clientType: { code: string; name: string } | null;
  openAlerts: number;
  /** The counselor the trajectory is assigned to (caseholder), null when nobody is. */
  counselor: { id: string; name: string } | null;
}
/** Fields `GET /clients?sort=<field>:<asc|desc>` sorts on (default firstContact:desc). */
export const CASELOAD_SORT_FIELDS = [
  'clientRef',
  'firstContact',
  'lastActivityOn',
  'currentStep',
  'municipality',
] as const;
export type CaseloadSortField = (typeof CASELOAD_SORT_FIELDS)[number];
export interface CaseloadResponse {
  items: CaseloadItem[];
  /** Counted for the first page; pages read by a cursor carry the first page's figure. */
  total: number;
  page: number;
  pageSize: number;
  /** Give as `after` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Give as `before` for the page before; null on the first page. */
  prevCursor: string | null;
}

export interface StepEventView {
  id: string;
  step: StepCode;
  date: string;
  source: 'manual' | 'import';
  recordedAt: string;
  recordedBy: string | null;
  /** The colleague who recorded it (null for imports and removed accounts). */
  recordedByName: string | null;
  withdrawnAt: string | null;
}
export interface SupportContactView {
  id: string;
  date: string;
  type: SupportType;
  minutes: number;
  channel: SupportChannel;
  note: string | null;
  recordedAt: string;
  recordedByName: string | null;
}
/**
 * Who did what to a client record and when (from the audit log): changes that keep no author of
 * their own (dropout, close, reopen, services, reassignment, contact edits, handled signals).
 */
export interface ActivityView {
  at: string;
  action: string;
  actorName: string | null;
  /** The note given with the change, if any. */
  note: string | null;
  details: Record<string, unknown> | null;
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
  kind: 'stalled' | 'low_experience' | 'unanswered' | 'first_meeting';
  raisedOn: string;
  details: Record<string, unknown> | null;
}
export interface ClientDetail {
  id: string;
  clientRef: string;
  email: string | null;
  phone: string | null;
  /** When the retention job erased e-mail and phone (after the trajectory ended); null until then. */
  contactErasedAt: string | null;
  householdType: HouseholdType | null;
  incomeBand: IncomeBand | null;
  birthYearBand: string | null;
  createdAt: string;
  trajectory: {
    id: string;
    municipality: Municipality;
    /** The request for help (aanmelddatum). */
    registeredOn: string;
    crisis: CrisisKind | null;
    /** The legal term of the first meeting (metrics.md); still to meet while firstContact is null. */
    firstMeetingDue: string;
    /** Null while the request waits for its first meeting. */
    firstContact: string | null;
    status: TrajectoryStatus;
    steps: StepDates;
    /** Null while waiting (no step reached). */
    currentStep: StepCode | null;
    stepEvents: StepEventView[];
    dropout: { date: string; reason: DropoutReason | null } | null;
    /** Set when the trajectory was closed (reason null for ones closed before reasons existed). */
    closed: { date: string; reason: CloseReason | null } | null;
    stalledSince: string | null;
    lastActivityOn: string;
    /** The caseholder. */
    counselor: { id: string; name: string } | null;
  };
  support: SupportContactView[];
  activity: ActivityView[];
  services: ServiceView[];
  assessments: AssessmentView[];
  alerts: AlertView[];
  questionnaires: { invitations: InvitationView[]; responses: ResponseView[] };
  /** Euros (2.5 = EUR 2.50), from the ledger. */
  spaartegoed: { balance: number };
}

/** How an invitation stands, in one word for lists: not sent (skipped, queued, failed) or sent (open, completed, expired). */
export type InvitationState = 'skipped' | 'queued' | 'failed' | 'open' | 'completed' | 'expired';

export interface InvitationView {
  id: string;
  /** 'intake', 'periodic:2', 'step:iu_in_view'. */
  wave: string;
  waveKind: 'intake' | 'periodic' | 'step';
  dueOn: string;
  plannedOn: string;
  state: InvitationState;
  skipReason: 'too_soon' | 'missed' | null;
  channel: 'email' | 'sms' | null;
  deliveryStatus: 'pending' | 'sending' | 'sent' | 'failed' | null;
  /** Why it was not delivered (or the last passing problem while it is retried). */
  failedReason: string | null;
  sentOn: string | null;
  expiresOn: string | null;
  reminderStatus: 'pending' | 'sending' | 'sent' | 'failed' | null;
  remindedAt: string | null;
  completedAt: string | null;
  expiredAt: string | null;
}

export interface ResponseView {
  id: string;
  invitationId: string;
  respondedOn: string;
  /** The step the trajectory was in on that day (docs/metrics.md, experience). */
  phase: StepCode;
  template: { code: string; version: number };
  answers: Record<string, number | null>;
  comment: string | null;
}

export interface QuestionnaireItemView {
  code: string;
  text: string;
  scale: { min: number; max: number; low: string; high: string };
  required: boolean;
}

/** GET /respond/:token */
export interface RespondQuestionnaireResponse {
  questionnaire: { title: string; items: QuestionnaireItemView[]; commentMaxLength: number; version: number };
  organisation: { name: string };
  /** Euros. */
  spaartegoed: { perResponse: number; balance: number; payout: string | null };
  /** The last day the link works (YYYY-MM-DD, Amsterdam calendar). */
  expiresAt: string;
  language: 'nl' | 'en';
}

/** POST /respond/:token */
export interface RespondRequest {
  answers: Record<string, number>;
  comment?: string;
}

export interface RespondResult {
  /** `payout`: how the organisation pays it, in its own words (null: not said). */
  spaartegoed: { credited: number; balance: number; payout: string | null };
  /** The client's own page ("Mijn traject"), with a new personal token: `/mijn/<token>`. */
  portalUrl: string;
}

export interface QuestionnaireScheduleView {
  intervalWeeks: number;
  delayAfterStepDays: number;
  reminderAfterDays: number;
  expiryDays: number;
  /** Euros per completed questionnaire. */
  creditPerResponse: number;
  channels: ('email' | 'sms')[];
  template: { id: string; code: string; version: number };
  /** False while the organisation uses the defaults. */
  customised: boolean;
  /** Whether this installation has an SMS provider. */
  smsAvailable: boolean;
  /** How the spaartegoed is paid, shown to clients (at most 500 characters; null: not said). */
  spaartegoedPayout: string | null;
  /** The phone number clients call and when (shown on "Mijn traject"; null: not said). */
  contactPhone: string | null;
  openingHours: string | null;
}

/** `spaartegoedPayout`, `contactPhone`, `openingHours` left out: unchanged; null: removed. */
export type UpdateQuestionnaireScheduleRequest = Omit<
  QuestionnaireScheduleView,
  'template' | 'customised' | 'smsAvailable' | 'spaartegoedPayout' | 'contactPhone' | 'openingHours'
> & {
  templateId?: string | null;
  spaartegoedPayout?: string | null;
  contactPhone?: string | null;
  openingHours?: string | null;
};

export interface QuestionnaireTemplateView {
  id: string;
  code: string;
  version: number;
  title: { nl: string; en: string };
  items: {
    code: string;
    text: { nl: string; en: string };
    scale: { min: number; max: number; low: { nl: string; en: string }; high: { nl: string; en: string } };
    required: boolean;
  }[];
  commentMaxLength: number;
}

export interface MarkStepRequest {
  step: StepCode;
  date: string;
}
export interface RecordDropoutRequest {
  date: string;
  reason: DropoutReason;
  note?: string;
}
export interface RecordSupportRequest {
  date: string;
  type: SupportType;
  minutes: number;
  channel: SupportChannel;
  note?: string;
}
/** PATCH /clients/:id: null clears a field. */
export interface UpdateClientRequest {
  email?: string | null;
  phone?: string | null;
  householdType?: HouseholdType | null;
  incomeBand?: IncomeBand | null;
  birthYearBand?: string | null;
}
/** PUT /trajectories/:id/counselor */
export interface AssignCounselorRequest {
  userId: string;
}
/** PUT /trajectories/:id/registration: the request for help as it should have been recorded (#26). */
export interface RegistrationRequest {
  registeredOn: string;
  crisis: CrisisKind | null;
}
/** GET /counselors: the organisation's active counselors (for reassigning). */
export interface CounselorView {
  id: string;
  name: string;
}
/** Answer of the trajectory changes: the trajectory as it stands afterwards. */
export interface TrajectoryStateResponse {
  id: string;
  status: TrajectoryStatus;
  steps: StepDates;
  /** Null while the request waits for its first meeting. */
  currentStep: StepCode | null;
  stalledSince: string | null;
  lastActivityOn: string;
}

/** GET /worklist `firstMeetings`: a waiting request, overdue first, then by due date. */
export interface FirstMeetingLine {
  clientId: string;
  clientRef: string;
  counselorName: string | null;
  registeredOn: string;
  crisis: CrisisKind | null;
  dueOn: string;
  /** Calendar days past dueOn (0 when not overdue). */
  overdueDays: number;
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
  /** Rows that named their municipality (a served one, exactly) instead of giving its CBS code. */
  municipalityNames?: number;
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

/** GET /imports/recent: what the organisation admin's start page shows of the last imports. */
export interface RecentImport {
  at: string;
  kind: 'trajectories' | 'assessments' | 'intake-answers';
  by: string | null;
  rows: number;
  created: number;
  updated: number;
}

/** GET /questionnaires/delivery-failures: invitations that could not be delivered (last 30 days). */
export interface DeliveryFailuresResponse {
  total: number;
  items: {
    clientId: string;
    clientRef: string;
    wave: string;
    channel: 'email' | 'sms' | null;
    plannedOn: string;
    reason: string | null;
  }[];
}
