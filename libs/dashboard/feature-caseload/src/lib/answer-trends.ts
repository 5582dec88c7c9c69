import type { ResponseView } from '@klantmonitor/shared/domain';

export interface AnswerTrend {
  first: number;
  last: number;
  kind: 'better' | 'worse' | 'same';
}

/** Items where a lower score is the better one (financial unrest). */
const LOWER_IS_BETTER = new Set(['onrust_financien']);

/**
 * Per item, the first and the latest answer (by answer date) and whether that is better. Null with
 * fewer than two questionnaires; an item answered fewer than twice has no trend (null).
 */
export function answerTrends(
  responses: readonly Pick<ResponseView, 'respondedOn' | 'answers'>[],
  items: readonly string[],
): Record<string, AnswerTrend | null> | null {
  if (responses.length < 2) return null;
  const sorted = [...responses].sort((a, b) =>
    a.respondedOn < b.respondedOn ? -1 : a.respondedOn > b.respondedOn ? 1 : 0,
  );
  const out: Record<string, AnswerTrend | null> = {};
  for (const item of items) {
    const values = sorted.map((r) => r.answers[item]).filter((v): v is number => typeof v === 'number');
    if (values.length < 2) {
      out[item] = null;
      continue;
    }
    const first = values[0];
    const last = values[values.length - 1];
    const better = LOWER_IS_BETTER.has(item) ? last < first : last > first;
    out[item] = {
      first,
      last,
      kind: first === last ? 'same' : better ? 'better' : 'worse',
    };
  }
  return out;
}
