/** CBS municipality code, e.g. `GM0344` (Utrecht). */
export const MUNICIPALITY_CODE_PATTERN = /^GM\d{4}$/;

export interface Municipality {
  code: string;
  name: string;
}
