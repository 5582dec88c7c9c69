import { AnswerProblem, QuestionnaireTemplate } from './klantbeleving';

const CODE = /^[a-z0-9_]{1,64}$/;

const text = (v: unknown, max: number): v is { nl: string; en: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { nl?: unknown }).nl === 'string' &&
  typeof (v as { en?: unknown }).en === 'string' &&
  (v as { nl: string }).nl.trim().length > 0 &&
  (v as { en: string }).en.trim().length > 0 &&
  (v as { nl: string }).nl.length <= max &&
  (v as { en: string }).en.length <= max;

/**
 * Checks a new template version a platform admin submits: a code, a Dutch and English title, 1-30
 * items with unique codes, Dutch and English texts, and a whole-number scale of 2 to 11 points
 * with both ends named. One problem per field, named by its path.
 */
export function validateTemplate(input: unknown): AnswerProblem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [{ field: '(body)', message: 'must be a template object' }];
  const t = input as Record<string, unknown>;
  const problems: AnswerProblem[] = [];
  for (const key of Object.keys(t)) {
    if (!['code', 'title', 'items', 'commentMaxLength'].includes(key))
      problems.push({ field: key, message: 'is not a template field' });
  }
  if (typeof t['code'] !== 'string' || !CODE.test(t['code']))
    problems.push({ field: 'code', message: 'must be 1-64 lowercase letters, digits or _' });
  if (!text(t['title'], 200))
    problems.push({ field: 'title', message: 'must have nl and en texts of 1-200 characters' });
  const cml = t['commentMaxLength'];
  if (cml !== undefined && (typeof cml !== 'number' || !Number.isInteger(cml) || cml < 0 || cml > 5000)) {
    problems.push({ field: 'commentMaxLength', message: 'must be a whole number from 0 to 5000' });
  }
  const items = t['items'];
  if (!Array.isArray(items) || items.length < 1 || items.length > 30) {
    problems.push({ field: 'items', message: 'must be a list of 1 to 30 items' });
    return problems;
  }
  const seen = new Set<string>();
  items.forEach((item: unknown, i) => {
    const at = `items[${i}]`;
    if (typeof item !== 'object' || item === null)
      return problems.push({ field: at, message: 'must be an item object' });
    const it = item as Record<string, unknown>;
    const code = it['code'];
    if (typeof code !== 'string' || !CODE.test(code))
      problems.push({ field: `${at}.code`, message: 'must be 1-64 lowercase letters, digits or _' });
    else if (seen.has(code)) problems.push({ field: `${at}.code`, message: `repeats ${code}` });
    else seen.add(code);
    if (!text(it['text'], 300))
      problems.push({ field: `${at}.text`, message: 'must have nl and en texts of 1-300 characters' });
    if (typeof it['required'] !== 'boolean')
      problems.push({ field: `${at}.required`, message: 'must be true or false' });
    const s = it['scale'] as Record<string, unknown> | undefined;
    const min = s?.['min'];
    const max = s?.['max'];
    if (
      typeof min !== 'number' ||
      typeof max !== 'number' ||
      !Number.isInteger(min) ||
      !Number.isInteger(max) ||
      min < 0 ||
      max > 10 ||
      max - min < 1
    ) {
      problems.push({ field: `${at}.scale`, message: 'must have whole numbers min and max, 0 <= min < max <= 10' });
    }
    if (!text(s?.['low'], 60) || !text(s?.['high'], 60))
      problems.push({ field: `${at}.scale`, message: 'must name both ends (low, high) in nl and en' });
    return undefined;
  });
  return problems;
}

export type NewTemplate = Omit<QuestionnaireTemplate, 'version'>;
