/**
 * The longest text each field takes: the API states it in its DTO (a longer value is a 400 naming
 * the field, never cut), the page in its field (a counter near the limit). One source for both.
 */
export const TEXT_LIMITS = {
  /** An organisation's own client number (the database's pattern allows 64). */
  clientRef: 64,
  /** RFC 5321's longest address. */
  email: 254,
  /** A Dutch number, spaces and dashes included ("+31 (0)6 - 12 34 56 78"). */
  phone: 24,
  /** A note on support, dropout or a withdrawn step. */
  note: 1000,
  /** An organisation's name (the database checks 2..200). */
  organisationName: 200,
  /** A person's name as colleagues see it. */
  personName: 120,
  /** The caseload's search box. */
  search: 64,
  /** The phone number clients call (any form the organisation writes). */
  contactPhone: 24,
  /** Opening hours as the organisation writes them ("ma-vr 9:00-17:00"). */
  openingHours: 200,
  /** How and when the spaartegoed is paid, in the organisation's words. */
  payoutText: 500,
} as const;

export type TextLimitField = keyof typeof TEXT_LIMITS;
