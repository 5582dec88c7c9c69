import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { ApiError, ApiErrorDetail } from '@klantmonitor/shared/domain';

const DB_UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection/i;

/** Turns everything thrown into the error shape of docs/api.md; never leaks internals. */
export function toApiError(exception: unknown): ApiError {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    let message = exception.message;
    let details: ApiErrorDetail[] | undefined;
    let extra: Record<string, unknown> = {};
    if (typeof body === 'object' && body !== null) {
      const {
        message: m,
        details: d,
        statusCode: _s,
        error: _e,
        ...rest
      } = body as { message?: unknown; details?: ApiErrorDetail[]; statusCode?: unknown; error?: unknown };
      if (typeof m === 'string') message = m;
      else if (Array.isArray(m)) message = m.join('; ');
      details = d;
      // Answers such as an import's 422 carry their own fields (rows, errors) beside the standard ones.
      extra = rest;
    }
    return {
      ...extra,
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message,
      ...(details ? { details } : {}),
    };
  }
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx status.
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    const message =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fastifyError.message ?? '')
        ? 'The body is not valid JSON'
        : fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'The body is too large'
          : fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'Unsupported content type: send application/json'
            : (fastifyError.message ?? 'Bad request');
    return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
  }
  if (DB_UNAVAILABLE.test(String((exception as Error)?.message ?? ''))) {
    return {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database is not reachable; try again shortly',
    };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side' };
}

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const body = toApiError(exception);
    if (body.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) this.logger.error(exception);
    const retryAfter = (exception as { retryAfter?: number }).retryAfter;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
