import type { AuthUser } from './auth.decorators';

/** What the safety net reads of a request (a Fastify request, its user set by AuthGuard). */
export interface DeferredSessionRequest {
  user?: Partial<AuthUser>;
  method: string;
  url: string;
  routeOptions?: { url?: string };
}

/** What the safety net may change of a reply before it is sent (a Fastify reply). */
export interface DeferredSessionReply {
  statusCode: number;
  code(status: number): unknown;
  header(name: string, value: string): unknown;
}

/**
 * The safety net of @SessionCheckedInTransaction, run on every answer as it is sent (Fastify's
 * onSend, apps/api main.ts): a marked route that answered without its transaction having checked
 * the session (a handler that forgot to pass `session` to TenantDb.run or once) answers 500 instead
 * of its result, naming the route in the log and the answer, so the API test of every marked route
 * shows it. Errors pass unchanged (a 400 or 404 says nothing a closed session should not hear), and
 * so do routes without a deferred session (their guard checked it). Answers the payload to send.
 *
 * #26, session 21: as a Nest interceptor it cost every request of a marked route an rxjs chain and
 * two AsyncResource bindings (each wrapping two deprecation getters), about 5 % of the api's CPU per
 * caseload page in a CPU profile; here it is one property read per answer.
 */
export function deferredSessionSafetyNet(
  request: DeferredSessionRequest,
  reply: DeferredSessionReply,
  payload: unknown,
  log: (message: string) => void,
): unknown {
  const deferred = request.user?.deferredSession;
  if (!deferred || deferred.checked || reply.statusCode >= 400) return payload;
  const message = `${request.method} ${request.routeOptions?.url ?? request.url} is marked @SessionCheckedInTransaction but did not check the session`;
  log(message);
  reply.code(500);
  reply.header('content-type', 'application/json; charset=utf-8');
  return JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message });
}
