import { BadRequestException } from '@nestjs/common';

/** Deepest nesting a request body may have; the API's largest bodies (questionnaire answers, steps) need 4. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests arrays/objects deeper than `limit`. Walked with an explicit
 * stack: the validation's recursive walk is what overflowed (a 500) on a body 10,000 arrays deep.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** A 400 that names the problem, for a body nested deeper than MAX_JSON_DEPTH. */
export function assertJsonDepth(body: unknown): void {
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    throw new BadRequestException({
      message: `The body is nested deeper than ${MAX_JSON_DEPTH} levels`,
      details: [{ field: 'body', message: `is nested deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
}
