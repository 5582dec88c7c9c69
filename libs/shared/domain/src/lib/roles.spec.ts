import { isRole, ORGANISATION_ROLES, ROLES } from './roles';
import { isStepCode, STEP_CODES } from './steps';

describe('domain codes', () => {
  it('knows every role and rejects anything else', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    expect(isRole('admin')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it('keeps platform_admin out of the roles an organisation can hand out', () => {
    expect(ORGANISATION_ROLES).not.toContain('platform_admin');
    expect(ORGANISATION_ROLES.every((r) => isRole(r))).toBe(true);
  });

  it('keeps the six stabilisation steps in their fixed order', () => {
    expect(STEP_CODES).toEqual([
      'first_contact',
      'goal_known',
      'approach_set',
      'iu_in_view',
      'iu_in_balance',
      'settlement_ready',
    ]);
    expect(isStepCode('iu_in_view')).toBe(true);
    expect(isStepCode('IU_IN_VIEW')).toBe(false);
  });
});
