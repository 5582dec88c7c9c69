/**
 * The default "Klantbeleving" questionnaire (docs/product.md), in plain Dutch (B1) with English beside it.
 * Item codes are part of the API contract (analytics reads them); texts may improve in later versions.
 */
export interface ScaleItem {
  code: string;
  text: { nl: string; en: string };
  /** 1..5; the labels name the two ends. */
  scale: { min: 1; max: 5; low: { nl: string; en: string }; high: { nl: string; en: string } };
  required: boolean;
}

export interface QuestionnaireTemplate {
  code: string;
  version: number;
  title: { nl: string; en: string };
  items: ScaleItem[];
  /** An optional free comment, at most this many characters. */
  commentMaxLength: number;
}

const scale = (lowNl: string, lowEn: string, highNl: string, highEn: string): ScaleItem['scale'] => ({
  min: 1,
  max: 5,
  low: { nl: lowNl, en: lowEn },
  high: { nl: highNl, en: highEn },
});

export const KLANTBELEVING_V1: QuestionnaireTemplate = {
  code: 'klantbeleving',
  version: 1,
  title: { nl: 'Hoe gaat het met de hulp?', en: 'How is the help going?' },
  commentMaxLength: 1000,
  items: [
    {
      code: 'onrust_financien',
      text: { nl: 'Hoeveel onrust voel je over je geld?', en: 'How much unrest do you feel about your money?' },
      scale: scale('Geen onrust', 'No unrest', 'Heel veel onrust', 'A lot of unrest'),
      required: true,
    },
    {
      code: 'geloof_in_oplossing',
      text: {
        nl: 'Geloof je dat het goed komt met je geldzorgen?',
        en: 'Do you believe your money worries will be solved?',
      },
      scale: scale('Helemaal niet', 'Not at all', 'Heel erg', 'Very much'),
      required: true,
    },
    {
      code: 'geluisterd',
      text: { nl: 'Wordt er naar je geluisterd?', en: 'Are you being listened to?' },
      scale: scale('Nooit', 'Never', 'Altijd', 'Always'),
      required: true,
    },
    {
      code: 'goed_geholpen',
      text: { nl: 'Word je goed geholpen?', en: 'Are you being helped well?' },
      scale: scale('Helemaal niet', 'Not at all', 'Heel goed', 'Very well'),
      required: true,
    },
    {
      code: 'weet_wat_te_doen',
      text: { nl: 'Weet je wat je moet doen?', en: 'Do you know what you have to do?' },
      scale: scale('Helemaal niet', 'Not at all', 'Precies', 'Exactly'),
      required: true,
    },
  ],
};

export interface AnswerProblem {
  field: string;
  message: string;
}

/**
 * Checks a submitted answer set against a template: every required item answered with a whole
 * number on its scale, no unknown codes, a comment within its length. Returns one problem per item.
 */
export function validateAnswers(template: QuestionnaireTemplate, answers: unknown, comment?: unknown): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    return [{ field: 'answers', message: 'must be an object of item code to answer' }];
  }
  const given = answers as Record<string, unknown>;
  const known = new Map(template.items.map((i) => [i.code, i]));
  for (const code of Object.keys(given)) {
    if (!known.has(code)) problems.push({ field: `answers.${code}`, message: 'is not an item of this questionnaire' });
  }
  for (const item of template.items) {
    const value = given[item.code];
    if (value === undefined || value === null) {
      if (item.required) problems.push({ field: `answers.${item.code}`, message: 'is required' });
    } else if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < item.scale.min ||
      value > item.scale.max
    ) {
      problems.push({
        field: `answers.${item.code}`,
        message: `must be a whole number from ${item.scale.min} to ${item.scale.max}`,
      });
    }
  }
  if (comment !== undefined && comment !== null) {
    if (typeof comment !== 'string') problems.push({ field: 'comment', message: 'must be text' });
    else if (comment.length > template.commentMaxLength)
      problems.push({ field: 'comment', message: `must be at most ${template.commentMaxLength} characters` });
  }
  return problems;
}

/**
 * Strong dropout signals of the original study: feeling badly helped (1-2) or much financial
 * unrest (4-5). Each one becomes an alert for the counselor.
 */
export function responseSignals(
  answers: Record<string, number | null | undefined>,
): ('badly_helped' | 'high_unrest')[] {
  const signals: ('badly_helped' | 'high_unrest')[] = [];
  const helped = answers['goed_geholpen'];
  const unrest = answers['onrust_financien'];
  if (typeof helped === 'number' && helped <= 2) signals.push('badly_helped');
  if (typeof unrest === 'number' && unrest >= 4) signals.push('high_unrest');
  return signals;
}
