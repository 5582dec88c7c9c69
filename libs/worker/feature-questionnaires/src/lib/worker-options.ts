import type { Processor } from '@nestjs/bullmq';
import { AppConfig, loadConfig } from '@klantmonitor/server/config';

type NestWorkerOptions = Parameters<typeof Processor>[1];

/**
 * @Processor options are fixed when the class is decorated, before Nest starts; read them from the
 * same validated configuration (the process refuses to start later if it is invalid).
 */
function config(): AppConfig | null {
  try {
    return loadConfig();
  } catch {
    return null;
  }
}

const lock = (c: AppConfig | null) => {
  const lockDuration = c?.jobLockMs ?? 30_000;
  // A killed worker's job is found again within one lock duration.
  return { lockDuration, stalledInterval: lockDuration, maxStalledCount: 3 };
};

export function planningWorkerOptions(): NestWorkerOptions {
  return { ...lock(config()), concurrency: 1 };
}

export function deliveryWorkerOptions(channel: 'email' | 'sms'): NestWorkerOptions {
  const c = config();
  const perSecond = channel === 'email' ? (c?.delivery.mailPerSecond ?? 200) : (c?.delivery.smsPerSecond ?? 20);
  return { ...lock(c), concurrency: c?.delivery.concurrency ?? 20, limiter: { max: perSecond, duration: 1000 } };
}
