import { HttpErrorResponse } from '@angular/common/http';
import type { ApiError } from '@klantmonitor/shared/domain';

/** The API's error body, or a stand-in when the API could not be reached at all. */
export function apiError(err: unknown): ApiError {
  if (err instanceof HttpErrorResponse) {
    const body = err.error as Partial<ApiError> | null;
    if (body && typeof body === 'object' && typeof body.message === 'string') {
      return { statusCode: err.status, error: body.error ?? err.statusText, message: body.message, details: body.details };
    }
    return { statusCode: err.status, error: err.statusText, message: err.message };
  }
  return { statusCode: 0, error: 'Unknown', message: String(err) };
}

/** One line for people: each problem the API named ("field: message"), or its message. */
export function apiErrorText(err: unknown): string {
  const e = apiError(err);
  return e.details?.map((d) => `${d.field}: ${d.message}`).join(' · ') || e.message;
}
