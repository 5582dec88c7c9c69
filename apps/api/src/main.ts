/**
 * Klantmonitor api. `node main.js` serves HTTP; `node main.js migrate` runs migrations as the owner
 * role and seeds the platform admin (and, in demo mode, the demo organisations), then exits;
 * `node main.js migrate:revert` undoes the newest migration.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from 'nestjs-pino';
import {
  ApiErrorDto,
  assertJsonDepth,
  AuthGuard,
  completeOpenApi,
  deferredSessionSafetyNet,
  type DeferredSessionRequest,
} from '@klantmonitor/api/core';
import { ADMIN_COOKIE } from '@klantmonitor/api/feature-auth';
import { IMPORT_MAX_BYTES } from '@klantmonitor/api/feature-import';
import { instrumentHttp, registerQueueDashboard } from '@klantmonitor/api/feature-platform';
import { AppConfig, ConfigError, exitIfShutdownHangs, loadConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import {
  ensurePlatformAdmin,
  openAdminDataSource,
  revertLastMigration,
  runMigrations,
  seedComparisonSet,
  seedDemo,
  seedDemoClients,
  seedDemoInvitations,
  seedDemoResponses,
  seedDemoComparisonGroups,
  seedDemoSegmentation,
} from '@klantmonitor/server/db';
import type { KmeansFn } from '@klantmonitor/shared/metrics';
import { AppModule } from './app/app.module';
import { requestId } from './app/logging';

/** JSON bodies are small in this API; file uploads get their own limit where they are accepted. */
const BODY_LIMIT_BYTES = 256 * 1024;

async function migrate(config: AppConfig): Promise<void> {
  const ran = await runMigrations(config.database.adminUrl);
  console.log(ran.length ? `Migrations run: ${ran.join(', ')}` : 'Database schema is up to date');
  if (!config.admin && !config.demo) return;
  const ds = await openAdminDataSource(config.database.adminUrl);
  try {
    if (config.admin) {
      const { created } = await ensurePlatformAdmin(ds, config.admin);
      console.log(
        created
          ? `Platform admin created: ${config.admin.email}`
          : `Platform admin: ${config.admin.email} (exists; its password is left as it is)`,
      );
    }
    if (config.demo) {
      const signIns = await seedDemo(ds);
      const box = new SecretBox(config.encryptionKey);
      const clients = await seedDemoClients(ds, box);
      const invitations = await seedDemoInvitations(ds);
      const comparison = await seedComparisonSet(ds, box);
      // After the open invitations (their waves are left as they are) and the comparison set.
      const responses = await seedDemoResponses(ds);
      await seedDemoComparisonGroups(ds);
      // ml-kmeans is ESM-only: loaded here, for the demo's segmentation run only.
      const { kmeans } = await import('ml-kmeans');
      const typed = await seedDemoSegmentation(ds, kmeans as unknown as KmeansFn);
      console.log(
        `Demo data: ${signIns.length} demo accounts, ${clients} new demo clients, ${invitations} new demo invitations, ${comparison} new clients in the national comparison set, ${responses} questionnaire answers, ${typed} clients typed by the demo's segmentation`,
      );
    }
  } finally {
    await ds.destroy();
  }
}

async function serve(config: AppConfig): Promise<void> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    genReqId: requestId,
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  exitIfShutdownHangs();

  const fastify = app.getHttpAdapter().getInstance();
  const logger = app.get(Logger);
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    // API answers carry tokens and client records: no browser or proxy keeps them, unless a route
    // chose its own caching (none does today beyond no-store variants).
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return deferredSessionSafetyNet(request as DeferredSessionRequest, reply, payload, (m) =>
      logger.error(m, 'SessionCheckedInTransaction'),
    );
  });
  // Before validation, whose recursive walk overflowed (a 500) on a body nested 10,000 arrays deep.
  fastify.addHook('preValidation', async (request) => assertJsonDepth(request.body));
  instrumentHttp(fastify);
  await app.register(fastifyCookie);
  // Uploads (imports): one file per request, streamed; larger files are refused with 413.
  await app.register(fastifyMultipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6 } });
  // Security headers by helmet, its middleware built once at start: @fastify/helmet built it again
  // from the options on every request (#26: 3 % of the api's time for a caseload page).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Angular and chart.js set inline styles; scripts stay strictly same-origin.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  fastify.addHook('onRequest', (request, reply, done) =>
    // helmet (8.1+) throws its errors rather than passing them on; `next` is called without one.
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );

  const closeQueues = await registerQueueDashboard(fastify, app.get(AuthGuard), config.redisUrl, ADMIN_COOKIE);

  const openApi = new DocumentBuilder()
    .setTitle('Klantmonitor API')
    .setDescription(
      'Integration API v1 of Klantmonitor. All paths are under /api; errors follow one shape (statusCode, error, message, details).',
    )
    .setVersion('v1')
    .addBearerAuth()
    .build();
  // Completed for every operation (security, error answers, servers): libs/api/core openapi.ts.
  const document = () => completeOpenApi(SwaggerModule.createDocument(app, openApi, { extraModels: [ApiErrorDto] }));
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
  });

  if (config.dashboardDist) await serveDashboard(app, config.dashboardDist);

  app.get(Logger).log(`Klantmonitor api listening on http://${config.host}:${config.port}/api`);
  process.once('SIGTERM', () => void closeQueues());
  await app.listen({ port: config.port, host: config.host });
}

/** Serves the built dashboard on the same origin; unknown non-API paths get index.html (SPA routes). */
async function serveDashboard(app: NestFastifyApplication, dist: string): Promise<void> {
  const base = resolve(dist);
  const root = existsSync(join(base, 'browser', 'index.html')) ? join(base, 'browser') : base;
  if (!existsSync(join(root, 'index.html')))
    throw new ConfigError([{ variable: 'DASHBOARD_DIST', message: `no index.html in ${dist}` }]);
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/*', (request, reply) => {
    const path = request.url.split('?')[0];
    // API paths and missing files (anything with an extension) are real 404s, not the app.
    if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'serve';
  let config: AppConfig;
  try {
    config = loadConfig(process.env, command === 'serve' ? 'serve' : 'migrate');
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  if (command === 'migrate') await migrate(config);
  else if (command === 'migrate:revert') {
    const name = await revertLastMigration(config.database.adminUrl);
    console.log(name ? `Migration reverted: ${name}` : 'No migration to revert');
  } else if (command === 'serve') await serve(config);
  else {
    console.error(`Unknown command "${command}": use serve, migrate or migrate:revert`);
    process.exit(64);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
