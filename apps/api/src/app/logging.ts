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

/** Questionnaire and "Mijn traject" links carry a secret token in the path; it never reaches a log line. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/\/(respond|v|client-portal|mijn)\/[^/?#]+/g, '/$1/[token]');
}

/** JSON logs (pino), one line per request with its id; secrets redacted. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestId(req),
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
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
