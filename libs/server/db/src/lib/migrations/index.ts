import { Foundation1763800000000 } from './1763800000000-foundation';
import { CounselorWorkflow1763900000000 } from './1763900000000-counselor-workflow';
import { Questionnaires1764000000000 } from './1764000000000-questionnaires';
import { Analytics1764100000000 } from './1764100000000-analytics';
import { AnalyticsAnswers1764200000000 } from './1764200000000-analytics-answers';
import { Totp1764300000000 } from './1764300000000-totp';
import { RlsInitPlan1764400000000 } from './1764400000000-rls-initplan';
import { ClientSearch1764500000000 } from './1764500000000-client-search';
import { Sessions1764600000000 } from './1764600000000-sessions';
import { LeastPrivilege1764700000000 } from './1764700000000-least-privilege';
import { TotpPolicy1764800000000 } from './1764800000000-totp-policy';
import { IntakeAnswers1764900000000 } from './1764900000000-intake-answers';
import { SegmentationRuns1765000000000 } from './1765000000000-segmentation-runs';
import { SegmentationModels1765100000000 } from './1765100000000-segmentation-models';
import { SegmentationAssignments1765200000000 } from './1765200000000-segmentation-assignments';
import { PasswordChange1765300000000 } from './1765300000000-password-change';
import { TrajectoryClose1765400000000 } from './1765400000000-trajectory-close';
import { ClientRecord1765500000000 } from './1765500000000-client-record';
import { AccountLinks1765600000000 } from './1765600000000-account-links';
import { RecoveryCodes1765700000000 } from './1765700000000-recovery-codes';
import { AuditIndex1765800000000 } from './1765800000000-audit-index';
import { SpaartegoedPayout1765900000000 } from './1765900000000-spaartegoed-payout';
import { OrganisationStatus1766000000000 } from './1766000000000-organisation-status';
import { AlertFunctions1766100000000 } from './1766100000000-alert-functions';
import { StepMark1766200000000 } from './1766200000000-step-mark';
import { BenchmarkActiveOrganisations1766300000000 } from './1766300000000-benchmark-active-organisations';
import { ClientPortal1766400000000 } from './1766400000000-client-portal';
import { Sso1766500000000 } from './1766500000000-sso';
import { OidcLogin1766600000000 } from './1766600000000-oidc-login';
import { AnalyticsBatchAnswers1766700000000 } from './1766700000000-analytics-batch-answers';
import { SsoIdentity1766800000000 } from './1766800000000-sso-identity';
import { ProtectedTable1767000000000 } from './1767000000000-protected-table';
import { ComparisonGroups1767100000000 } from './1767100000000-comparison-groups';
import { ClientContact1767200000000 } from './1767200000000-client-contact';
import { FirstMeeting1767300000000 } from './1767300000000-first-meeting';
import { Enqueue1767400000000 } from './1767400000000-enqueue';
import { SessionRequire1767500000000 } from './1767500000000-session-require';
import { TrajectoryCounts1767600000000 } from './1767600000000-trajectory-counts';
import { AuditOrganisationLock1767700000000 } from './1767700000000-audit-organisation-lock';
import { AuditEntityIds1767800000000 } from './1767800000000-audit-entity-ids';
import { ImportStatistics1767900000000 } from './1767900000000-import-statistics';
import { ClientLinksAndFairRuns1766900000000 } from './1766900000000-client-links-and-fair-runs';

/** Every migration, oldest first. Listed explicitly so the bundled api can run them. */
export const MIGRATIONS = [
  Foundation1763800000000,
  CounselorWorkflow1763900000000,
  Questionnaires1764000000000,
  Analytics1764100000000,
  AnalyticsAnswers1764200000000,
  Totp1764300000000,
  RlsInitPlan1764400000000,
  ClientSearch1764500000000,
  Sessions1764600000000,
  LeastPrivilege1764700000000,
  TotpPolicy1764800000000,
  IntakeAnswers1764900000000,
  SegmentationRuns1765000000000,
  SegmentationModels1765100000000,
  SegmentationAssignments1765200000000,
  PasswordChange1765300000000,
  TrajectoryClose1765400000000,
  ClientRecord1765500000000,
  AccountLinks1765600000000,
  RecoveryCodes1765700000000,
  AuditIndex1765800000000,
  SpaartegoedPayout1765900000000,
  OrganisationStatus1766000000000,
  AlertFunctions1766100000000,
  StepMark1766200000000,
  BenchmarkActiveOrganisations1766300000000,
  ClientPortal1766400000000,
  Sso1766500000000,
  OidcLogin1766600000000,
  AnalyticsBatchAnswers1766700000000,
  SsoIdentity1766800000000,
  ClientLinksAndFairRuns1766900000000,
  ProtectedTable1767000000000,
  ComparisonGroups1767100000000,
  ClientContact1767200000000,
  FirstMeeting1767300000000,
  Enqueue1767400000000,
  SessionRequire1767500000000,
  TrajectoryCounts1767600000000,
  AuditOrganisationLock1767700000000,
  AuditEntityIds1767800000000,
  ImportStatistics1767900000000,
];
