import { STEP_CODES, type StepCode } from './steps';

/**
 * "Mijn traject": what a client reads about their own steps, in plain Dutch (B1) with English. The
 * labels are the client's words for the steps (the counselors' labels are STEP_LABELS_NL); `next`
 * says what the step means and what the client can do for it.
 */
export const PORTAL_STEP_TEXTS: Record<
  StepCode,
  { label: { nl: string; en: string }; next: { nl: string; en: string } }
> = {
  first_contact: {
    label: { nl: 'Eerste gesprek', en: 'First conversation' },
    next: {
      nl: 'Je hebt een eerste gesprek met je hulpverlener. Vertel wat er speelt: er is geen fout antwoord.',
      en: 'You have a first conversation with your counselor. Tell them what is going on: there is no wrong answer.',
    },
  },
  goal_known: {
    label: { nl: 'Je doel is duidelijk', en: 'Your goal is clear' },
    next: {
      nl: 'Samen bespreek je wat je wilt bereiken. Denk alvast na: wat is voor jou nu het belangrijkste?',
      en: 'Together you talk about what you want to reach. Think about it already: what matters most to you now?',
    },
  },
  approach_set: {
    label: { nl: 'Het plan is klaar', en: 'The plan is ready' },
    next: {
      nl: 'Je maakt samen een plan: wie doet wat, en wanneer. Vraag het gerust als iets niet duidelijk is.',
      en: 'Together you make a plan: who does what, and when. Just ask if something is not clear.',
    },
  },
  iu_in_view: {
    label: { nl: 'Inkomsten en uitgaven op een rij', en: 'Income and expenses listed' },
    next: {
      nl: 'Je zet al je inkomsten en uitgaven op een rij. Verzamel je post, loonstroken en rekeningen en neem ze mee.',
      en: 'You list all your income and expenses. Collect your letters, payslips and bills and bring them along.',
    },
  },
  iu_in_balance: {
    label: { nl: 'Inkomsten en uitgaven in balans', en: 'Income and expenses in balance' },
    next: {
      nl: 'Je zorgt dat er niet meer uitgaat dan er binnenkomt. Je hulpverlener helpt je kiezen. Betaal je vaste lasten op tijd.',
      en: 'You make sure no more goes out than comes in. Your counselor helps you choose. Pay your fixed costs on time.',
    },
  },
  settlement_ready: {
    label: { nl: 'Klaar voor een regeling met je schuldeisers', en: 'Ready for an arrangement with your creditors' },
    next: {
      nl: 'Je bent klaar om met je schuldeisers een regeling te maken. Houd je aan de afspraken en vertel het als je inkomen verandert.',
      en: 'You are ready to make an arrangement with your creditors. Keep to the agreements and tell your counselor if your income changes.',
    },
  },
};

/** The first step in order that is not reached (null: all reached). */
export function nextPortalStep(reached: Partial<Record<StepCode, string | null>>): StepCode | null {
  return STEP_CODES.find((s) => !reached[s]) ?? null;
}

/** GET /client-portal/:token: a client's own progress (docs/api.md "A client's own progress"). */
export interface ClientPortalResponse {
  /** phone and openingHours in the organisation's own words (null: not said; the page then says to ask the counselor). */
  organisation: { name: string; phone: string | null; openingHours: string | null };
  municipality: { code: string; name: string };
  /** open, or ended (closed / dropped out): the link works 30 days after the end. */
  status: 'open' | 'closed' | 'dropped_out';
  /** Every step in order; reachedOn null when not (yet) reached. */
  steps: { code: StepCode; label: string; reachedOn: string | null }[];
  /** The first step not reached while the trajectory is open; null otherwise. */
  nextStep: { code: StepCode; label: string; explanation: string } | null;
  /** Euros; howPaid: the organisation's own words (null: not said). */
  spaartegoed: { balance: number; howPaid: string | null };
  /** An open questionnaire, with a link of its own. */
  openQuestionnaire: { url: string } | null;
  language: 'nl' | 'en';
}
