/** Stabilisation steps in their fixed order (product.md). Organisations may rename them in the UI only. */
export const STEP_CODES = [
  'first_contact',
  'goal_known',
  'approach_set',
  'iu_in_view',
  'iu_in_balance',
  'settlement_ready',
] as const;
export type StepCode = (typeof STEP_CODES)[number];

export function isStepCode(value: unknown): value is StepCode {
  return typeof value === 'string' && (STEP_CODES as readonly string[]).includes(value);
}
