import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with a Retry-After the error filter sends along; `what` says what was tried too often. */
export function tooManyRequests(what: string, msBeforeNext: number): HttpException {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const error = new HttpException(
    { message: `${what}; try again in ${Math.ceil(retryAfter / 60)} minutes` },
    HttpStatus.TOO_MANY_REQUESTS,
  );
  (error as HttpException & { retryAfter?: number }).retryAfter = retryAfter;
  return error;
}
