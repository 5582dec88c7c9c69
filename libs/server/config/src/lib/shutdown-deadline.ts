import { EventEmitter } from 'node:events';

/** How long the api's graceful shutdown may take before it ends itself (compose waits 10 s). */
export const SHUTDOWN_DEADLINE_MS = 8000;

/**
 * After SIGTERM or SIGINT, ends the process with exit code 1 if the graceful shutdown (NestJS
 * shutdown hooks: HTTP server, queues, Redis and database connections) has not finished within
 * `ms`. A shutdown that waits on an unreachable Redis or PostgreSQL otherwise hangs forever,
 * and whatever waits for the process (an orchestrator, the test runner) hangs with it.
 * The timer is unref'd: a shutdown that finishes in time exits as usual.
 */
export function exitIfShutdownHangs(
  options: {
    ms?: number;
    log?: (message: string) => void;
    target?: EventEmitter;
    exit?: (code: number) => void;
  } = {},
): void {
  const ms = options.ms ?? SHUTDOWN_DEADLINE_MS;
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((message: string) => console.error(message));
  const arm = (signal: string) => () => {
    const timer = setTimeout(() => {
      log(`shutdown after ${signal} did not finish within ${ms} ms; exiting`);
      exit(1);
    }, ms);
    timer.unref();
  };
  target.once('SIGTERM', arm('SIGTERM'));
  target.once('SIGINT', arm('SIGINT'));
}
