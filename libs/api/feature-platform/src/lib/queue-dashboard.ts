import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { HttpException } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { AuthGuard, JWT_QUEUES_AUDIENCE } from '@klantmonitor/api/core';
import { ALL_QUEUES, createRedis } from '@klantmonitor/server/queues';

export const QUEUE_DASHBOARD_PATH = '/api/admin/queues';

/**
 * Bull Board over every queue, read-only, for platform admins only. The api only looks at the queues; the
 * worker processes them. A browser authenticates with the cookie set at sign-in, tools with a bearer token.
 */
export async function registerQueueDashboard(
  fastify: FastifyInstance,
  guard: AuthGuard,
  redisUrl: string,
  cookieName: string,
): Promise<() => Promise<void>> {
  const connection = createRedis(redisUrl, 'worker', 'klantmonitor-api-bullboard');
  const queues = ALL_QUEUES.map((name) => new Queue(name, { connection }));
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter });

  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const cookie = (request as { cookies?: Record<string, string | undefined> }).cookies?.[cookieName];
      try {
        // The cookie is its own credential (audience klantmonitor-queues, 15 minutes, ended with its
        // session); an API token in the Authorization header works too, the other way round not.
        const user = request.headers.authorization
          ? await guard.authenticate(request.headers.authorization)
          : await guard.authenticate(cookie ? `Bearer ${cookie}` : undefined, JWT_QUEUES_AUDIENCE);
        if (user.role !== 'platform_admin') {
          return reply
            .status(403)
            .send({ statusCode: 403, error: 'Forbidden', message: 'Only platform admins see the queues' });
        }
      } catch (e) {
        const status = e instanceof HttpException ? e.getStatus() : 401;
        return reply
          .status(status)
          .send({ statusCode: status, error: 'Unauthorized', message: 'Sign in as a platform admin first' });
      }
      return undefined;
    });
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
  });

  return async () => {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  };
}
