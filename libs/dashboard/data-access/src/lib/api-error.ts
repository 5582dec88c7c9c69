import { HttpErrorResponse } from '@angular/common/http';
import type { ApiError } from '@klantmonitor/shared/domain';

/** The API's error body, or a stand-in when the API could not be reached at all. */
export function apiError(err: unknown): ApiError {
  if (err instanceof HttpErrorResponse) {
    const body = err.error as Partial<ApiError> | null;
    if (body && typeof body === 'object' && typeof body.message === 'string') {
      const code = (body as { code?: unknown }).code;
      return {
        statusCode: err.status,
        error: body.error ?? err.statusText,
        message: body.message,
        details: body.details,
        ...(typeof code === 'string' ? { code } : {}),
      };
    }
    return { statusCode: err.status, error: err.statusText, message: err.message };
  }
  // Not an answer of the API at all (a bug in the page): -1, so it is not taken for "unreachable" (0).
  return { statusCode: -1, error: 'Unknown', message: String(err) };
}

/** How a page looks a text up (TranslateService.instant): the key itself when there is none. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * A refusal in the UI's language, never the API's English: `<prefix>.<code>` for the API's error
 * code, else `<prefix>.<field>` for the first field it names (`municipalities[2]` looks up
 * `municipalities`), else a text by status (`errors.*`). Pages put their own texts under `prefix`.
 */
export function localErrorText(err: unknown, t: Translate, prefix: string): string {
  const e = apiError(err);
  const field = e.details?.[0]?.field?.replace(/\[\d+\]$/, '');
  for (const name of [e.code, field]) {
    if (!name) continue;
    const key = `${prefix}.${name}`;
    const text = t(key, { field: name });
    if (text !== key) return text;
  }
  return t(statusErrorKey(err));
}

const BY_STATUS: Record<number, string> = {
  0: 'errors.unreachable',
  400: 'errors.invalid',
  401: 'errors.signedOut',
  403: 'errors.forbidden',
  404: 'errors.gone',
  409: 'errors.conflict',
  413: 'errors.tooLarge',
  422: 'errors.invalid',
  429: 'errors.tooMany',
};

/**
 * The translation key for a refusal by its status alone (where no code or field says more): of an
 * error as caught, or of the ApiError that apiError made of it.
 */
export function statusErrorKey(err: unknown): string {
  const known =
    !(err instanceof HttpErrorResponse) && typeof (err as Partial<ApiError> | null)?.statusCode === 'number'
      ? (err as ApiError)
      : apiError(err);
  return BY_STATUS[known.statusCode] ?? 'errors.generic';
}
