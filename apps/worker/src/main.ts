/**
 * Klantmonitor worker: a NestJS application context (no HTTP) that runs the BullMQ processors and
 * job schedulers. On SIGTERM/SIGINT it stops taking jobs, lets running ones finish, and exits.
 */
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, exitIfShutdownHangs, loadConfig } from '@klantmonitor/server/config';
import { WorkerModule } from './app/worker.module';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, 'worker');
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Running jobs may finish (compose gives 60 s); a shutdown stuck on an unreachable Redis may not.
  exitIfShutdownHangs({ ms: 55_000 });
  await app.init();
  app.get(Logger).log('Klantmonitor worker started');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
