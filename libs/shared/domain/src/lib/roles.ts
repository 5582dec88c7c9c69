/** Roles of staff accounts. Clients have no account: they answer through a questionnaire link. */
export const ROLES = ['platform_admin', 'org_admin', 'counselor', 'policy_advisor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an organisation's users can have (a platform admin belongs to no organisation). */
export const ORGANISATION_ROLES = ['org_admin', 'counselor', 'policy_advisor'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Links by e-mail to set one's own password (docs/api.md): an invitation or a forgotten password. */
export type AccountLinkPurpose = 'invitation' | 'password_reset';
/** How long such a link works, in minutes, counted from when the e-mail was sent. */
export const ACCOUNT_LINK_MINUTES: Record<AccountLinkPurpose, number> = {
  invitation: 7 * 24 * 60,
  password_reset: 30,
};
