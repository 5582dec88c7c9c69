import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { HealthResponse, SystemHealthResponse } from '@klantmonitor/shared/domain';
import { Public, Roles } from '@klantmonitor/api/core';
import { HealthService } from './health.service';

/**
 * Health for load balancers and people: 200 when the database answers (status `ok`, or `degraded`
 * while Redis or the worker is away: changes are still accepted), 503 when the database does not.
 */
@ApiTags('platform')
@Controller('health')
export class HealthController {
  // GET /health/system is a platform admin's (the class has public and guarded routes).
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  // For load balancers and monitoring, not part of the integration contract (docs/api.md).
  @ApiExcludeEndpoint()
  @ApiOperation({ summary: 'State of PostgreSQL, Redis and the worker' })
  async state(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const h = await this.health.check();
    reply.status(h.status === 'down' ? 503 : 200);
    return h;
  }

  /** What the platform admin's start page shows: health, queue depths and the newest failures. */
  @Get('system')
  @Roles('platform_admin')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Platform admin: health with every queue (waiting, active, delayed, failed) and its newest failed jobs',
  })
  system(): Promise<SystemHealthResponse> {
    return this.health.system();
  }
}
