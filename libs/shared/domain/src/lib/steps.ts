/** Stabilisation steps in their fixed order (docs/product.md). Organisations may rename them in the UI only. */
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

/** Step names as the page and the report show them (B1 Dutch). */
export const STEP_LABELS_NL: Record<StepCode, string> = {
  first_contact: 'Eerste contact',
  goal_known: 'Doel bekend',
  approach_set: 'Aanpak bepaald',
  iu_in_view: 'Inkomsten en uitgaven in beeld',
  iu_in_balance: 'Inkomsten en uitgaven in balans',
  settlement_ready: 'Klaar voor schuldregeling',
};
