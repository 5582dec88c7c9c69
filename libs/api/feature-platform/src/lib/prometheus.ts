/** Operational metrics for Prometheus (`GET /api/metrics`, token-guarded): not the figures of docs/metrics.md, which live in shared/metrics. */
import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Public } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'klantmonitor_api_' });

const httpDuration = new Histogram({
  name: 'klantmonitor_api_http_request_duration_seconds',
  help: 'HTTP requests by method, route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/** Times every request by its route pattern (never the raw URL: ids and tokens stay out of labels). */
export function instrumentHttp(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read the metrics: with METRICS_TOKEN set, whoever sends it; without, only a caller on the
 * same host (the socket's own address, never X-Forwarded-For), so an unset token no longer opens
 * them to the world.
 */
export function metricsAllowed(
  token: string | undefined,
  authorization: string | undefined,
  socketAddress: string | undefined,
): boolean {
  if (token) return authorization === `Bearer ${token}`;
  return socketAddress !== undefined && LOOPBACK.has(socketAddress);
}

/** Prometheus metrics: with METRICS_TOKEN, for `Authorization: Bearer <METRICS_TOKEN>`; without, for loopback only. */
@ApiExcludeController()
@Controller('metrics')
export class PrometheusController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  async metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!metricsAllowed(this.config.metricsToken, authorization, reply.request.socket.remoteAddress)) {
      throw new UnauthorizedException(
        this.config.metricsToken
          ? 'Metrics need the metrics token'
          : 'Metrics are for this host only (set METRICS_TOKEN to read them from elsewhere)',
      );
    }
    reply.header('content-type', metricsRegistry.contentType).send(await metricsRegistry.metrics());
  }
}
