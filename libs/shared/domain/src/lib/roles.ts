/** Roles of staff accounts. Clients have no account: they answer through a questionnaire link. */
export const ROLES = ['platform_admin', 'org_admin', 'counselor', 'policy_advisor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an organisation's users can have (a platform admin belongs to no organisation). */
export const ORGANISATION_ROLES = ['org_admin', 'counselor', 'policy_advisor'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
