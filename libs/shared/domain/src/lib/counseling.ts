/** Codes of the counselor workflow (docs/product.md, Domain). Codes are API contract; labels live in the UI. */
import type { StepCode } from './steps';

export const DROPOUT_REASONS = [
  'moved',
  'deceased',
  'no_show',
  'lost_motivation',
  'terms_not_accepted',
  'organisation_reputation',
  'other',
] as const;
export type DropoutReason = (typeof DROPOUT_REASONS)[number];

/** Dutch words for the reasons: files made on the server (exports, import templates) and the dashboard (nl.ts). */
export const DROPOUT_REASON_LABELS_NL: Record<DropoutReason, string> = {
  moved: 'Verhuisd',
  deceased: 'Overleden',
  no_show: 'Niet meer gekomen',
  lost_motivation: 'Geen motivatie meer',
  terms_not_accepted: 'Gaat niet akkoord met de voorwaarden',
  organisation_reputation: 'Beeld van de organisatie',
  other: 'Anders',
};

/** Why a trajectory was closed (docs/api.md "POST /trajectories/:id/close"). */
export const CLOSE_REASONS = ['completed', 'referred', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const SUPPORT_TYPES = [
  'administrative',
  'financial_coaching',
  'income_management',
  'legal',
  'psychosocial',
] as const;
export type SupportType = (typeof SUPPORT_TYPES)[number];

/** Dutch names of the kinds of support: the page, the exports and the report say the same (#24). */
export const SUPPORT_TYPE_LABELS_NL: Record<SupportType, string> = {
  administrative: 'Hulp bij administratie',
  financial_coaching: 'Financiële coaching',
  income_management: 'Inkomensbeheer',
  legal: 'Juridische hulp',
  psychosocial: 'Psychosociale hulp',
};

export const SUPPORT_CHANNELS = ['in_person', 'home_visit', 'phone', 'video', 'email', 'chat'] as const;
export type SupportChannel = (typeof SUPPORT_CHANNELS)[number];

export const SERVICE_KINDS = ['budget_management', 'protection', 'budget_coaching', 'other'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const HOUSEHOLD_TYPES = ['single', 'single_parent', 'couple', 'couple_with_children', 'other'] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];

export const INCOME_BANDS = ['benefit', 'low_income', 'middle_income', 'other'] as const;
export type IncomeBand = (typeof INCOME_BANDS)[number];

/** Birth year in decades, e.g. `1970-1979`: enough for analysis, too coarse to identify anyone. */
export const BIRTH_YEAR_BANDS = Array.from({ length: 9 }, (_, i) => `${1930 + i * 10}-${1939 + i * 10}`);

export const TRAJECTORY_STATUSES = ['open', 'closed', 'dropped_out'] as const;
export type TrajectoryStatus = (typeof TRAJECTORY_STATUSES)[number];

/** Days without a step change or support contact after which an open trajectory counts as stalled. */
export const STALLED_AFTER_DAYS = 90;

export const CLIENT_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;

/**
 * True for nine digits that pass the BSN eleven-test. A client reference may never be a BSN
 * (citizen service number): such references are refused.
 */
export function looksLikeBsn(value: string): boolean {
  const digits = value.replace(/[\s.-]/g, '');
  if (!/^\d{8,9}$/.test(digits)) return false;
  const d = digits.padStart(9, '0').split('').map(Number);
  const sum = d.slice(0, 8).reduce((s, x, i) => s + x * (9 - i), 0) - d[8];
  return sum % 11 === 0 && sum !== 0;
}

export type StepDates = Record<StepCode, string | null>;
