import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@klantmonitor/server/config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Takes a sane X-Request-Id from a proxy, or makes one; Fastify and the logs share it. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** Routes whose next path segment is a secret token (questionnaire, "Mijn traject", welcome and reset links). */
const TOKEN_PATHS = /\/(respond|v|client-portal|mijn|welkom|wachtwoord)\/[^/?#]+/g;
/** Query parameters that carry a secret: single sign-on's one-time code, the provider's code and state, tokens. */
const TOKEN_QUERY = /([?&](?:sso|code|state|token|id_token|access_token|session_state)=)[^&#]*/gi;

/** Secrets in a URL (a token in the path or the query) never reach a log line (#22: all of them). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(TOKEN_PATHS, '/$1/[token]').replace(TOKEN_QUERY, '$1[redacted]');
}

/** JSON logs (pino), one line per request with its id; secrets redacted. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestId(req),
      redact: {
        // A redirect's Location can hold a one-time code (/inloggen?sso=...).
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'res.headers.location'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          headers: {
            'user-agent': req.headers['user-agent'],
            authorization: req.headers['authorization'],
            cookie: req.headers['cookie'],
          },
        }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => req.url === '/api/health' || req.url === '/api/metrics' },
    },
  };
}
