import { BullModule } from '@nestjs/bullmq';
import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { createRedis, DEFAULT_JOB_OPTIONS, QUEUES } from '@klantmonitor/server/queues';
import { HeartbeatProcessor } from './heartbeat.processor';
import { HeartbeatScheduler } from './heartbeat.scheduler';
import { SYSTEM_REDIS } from './system.tokens';

/** The `system` queue: the worker's heartbeat. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.system, defaultJobOptions: DEFAULT_JOB_OPTIONS })],
  providers: [
    HeartbeatProcessor,
    HeartbeatScheduler,
    {
      provide: SYSTEM_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRedis(config.redisUrl, 'client', 'klantmonitor-worker-system'),
    },
  ],
})
export class SystemModule implements OnModuleDestroy {
  constructor(@Inject(SYSTEM_REDIS) private readonly redis: Redis) {}

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
