import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, QueryLength, RequestId, Roles } from '@klantmonitor/api/core';
import type { AnalyticsEndpoint } from '@klantmonitor/server/analytics';
import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { AnalyticsService } from './analytics.service';
import { AnalyticsJobsService } from './analytics-jobs.service';
import { AnalyticsSettingsService } from './analytics-settings.service';
import { AnalyticsSettingsDto } from './dto/analytics-settings.dto';
import { AnalyticsExportService, type ExportFile } from './analytics-export.service';
import { toAnalyticsQuery, type AnalyticsQueryInput } from './analytics-params';
import {
  DropoutQueryDto,
  WaitingTimeQueryDto,
  ExperienceQueryDto,
  ReportQueryDto,
  ResponseRateQueryDto,
  StepAttainmentQueryDto,
  SupportQueryDto,
  TimeToStepQueryDto,
} from './dto/analytics-query.dto';

/** The longest query string read (a list of 400 municipalities is about 2,800 characters). */
const MAX_QUERY_LENGTH = 8192;

const BAD = 'A parameter that is unknown, repeated, malformed or out of range, named in details';
const ANSWER =
  'rows (one per group) and total, as docs/metrics.md defines them, with computedAt; format=csv or format=xlsx gives the same as a file';

/** Figures of docs/metrics.md for policy advisors and organisation admins (docs/api.md "Analytics"). */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(QueryLength(MAX_QUERY_LENGTH))
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly exports: AnalyticsExportService,
    private readonly jobs: AnalyticsJobsService,
    private readonly settingsService: AnalyticsSettingsService,
  ) {}

  private static download(reply: FastifyReply, file: ExportFile): Buffer {
    reply.header('content-type', file.contentType);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    // Figures of people's debt help: never kept by a shared cache.
    reply.header('cache-control', 'private, no-store');
    return file.body;
  }

  /**
   * Answers are JSON text already: sent as stored, large ones gzipped once per data version for
   * clients that accept it (see AnalyticsService.answer).
   */
  private async send(
    endpoint: AnalyticsEndpoint,
    user: AuthUser,
    dto: AnalyticsQueryInput,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<string | Buffer> {
    const parsed = toAnalyticsQuery(endpoint, dto, todayInAmsterdam());
    if (dto.format === 'csv' || dto.format === 'xlsx')
      return AnalyticsController.download(reply, await this.exports.file(user, parsed, dto.format));
    const gzipOk = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const { body, encoding } = await this.analytics.answer(user, parsed, gzipOk);
    reply.header('content-type', 'application/json; charset=utf-8');
    reply.header('vary', 'accept-encoding');
    if (encoding) reply.header('content-encoding', encoding);
    return body;
  }

  @Get('analytics/step-attainment')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary:
      'Share reaching a step within withinDays days (Wilson 95% interval; case-mix expected and oe per municipality)',
  })
  @ApiOkResponse({ description: ANSWER })
  @ApiBadRequestResponse({ description: BAD })
  stepAttainment(
    @CurrentUser() user: AuthUser,
    @Query() query: StepAttainmentQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send('step-attainment', user, query, req, reply);
  }

  @Get('analytics/dropout')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary: 'Dropout share, by phase, and the "moment of truth"',
  })
  @ApiOkResponse({ description: ANSWER })
  @ApiBadRequestResponse({ description: BAD })
  dropout(
    @CurrentUser() user: AuthUser,
    @Query() query: DropoutQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send('dropout', user, query, req, reply);
  }

  @Get('analytics/time-to-step')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary: 'Cumulative incidence of a step with dropout as competing risk (Aalen-Johansen), and medianDays',
  })
  @ApiOkResponse({ description: ANSWER })
  @ApiBadRequestResponse({ description: BAD })
  timeToStep(
    @CurrentUser() user: AuthUser,
    @Query() query: TimeToStepQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send('time-to-step', user, query, req, reply);
  }

  @Get('analytics/experience')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({ summary: 'Mean score of a questionnaire item per phase' })
  @ApiOkResponse({ description: ANSWER })
  @ApiBadRequestResponse({ description: BAD })
  experience(
    @CurrentUser() user: AuthUser,
    @Query() query: ExperienceQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send('experience', user, query, req, reply);
  }

  @Get('analytics/support')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary: 'Support in the first 90 days: share with administrative support, mean minutes by type',
  })
  @ApiOkResponse({ description: ANSWER })
  @ApiBadRequestResponse({ description: BAD })
  support(
    @CurrentUser() user: AuthUser,
    @Query() query: SupportQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send('support', user, query, req, reply);
  }

  @Get('analytics/response-rate')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary: 'Questionnaires answered before expiry over those sent',
  })
  @ApiOkResponse({ description: ANSWER })
  @ApiBadRequestResponse({ description: BAD })
  responseRate(
    @CurrentUser() user: AuthUser,
    @Query() query: ResponseRateQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send('response-rate', user, query, req, reply);
  }

  @Get('analytics/waiting-time')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary:
      'Waiting time from the request for help to the first meeting (Kaplan-Meier median with its 95% interval; not seen: censored at asOf) and the share seen within the legal term (4 weeks; 3 working days in a crisis), with its Wilson interval. The cohort is by the date of the request',
  })
  @ApiOkResponse({ description: ANSWER })
  @ApiBadRequestResponse({ description: BAD })
  waitingTime(
    @CurrentUser() user: AuthUser,
    @Query() query: WaitingTimeQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.send('waiting-time', user, query, req, reply);
  }

  @Get('analytics/report')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary:
      'The benchmark report as an A4 PDF (format=pdf, the default): title page, every chart with its table, the funnel plot, definitions, small-cell note; or as an Excel workbook for people (format=xlsx): a summary sheet, one sheet per chart with Dutch headers, municipality names, a Toelichting sheet. Filters as on /vergelijken',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The report (PDF or XLSX)', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({ description: BAD })
  async report(
    @CurrentUser() user: AuthUser,
    @Query() query: ReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return AnalyticsController.download(reply, await this.exports.report(user, query));
  }

  @Get('analytics/options')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary:
      'What the benchmark filters offer: municipalities that take part (name, own or not), client types, items, the small-cell setting',
  })
  options(@CurrentUser() user: AuthUser) {
    return this.analytics.options(user);
  }

  @Get('analytics/settings')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary: "The organisation's small-cell setting: rows below minCell are suppressed (default 10, at least 5)",
  })
  settings(@CurrentUser() user: AuthUser) {
    return this.settingsService.settings(user);
  }

  @Put('analytics/settings')
  @Roles('org_admin')
  @ApiOperation({
    summary:
      'Change the small-cell setting {minCell: 5..1000}: the default for your callers, and the least anyone else sees your figures with (never below 10 for them)',
  })
  @ApiBadRequestResponse({
    description: 'minCell missing, not whole, out of range, or an unknown field',
  })
  @ApiOkResponse({
    description: 'The setting as stored',
    schema: { type: 'object', properties: { minCell: { type: 'integer' } } },
  })
  updateSettings(@CurrentUser() user: AuthUser, @Body() body: AnalyticsSettingsDto, @RequestId() requestId: string) {
    return this.settingsService.updateSettings(user, body.minCell, requestId);
  }

  @Post('analytics/recompute')
  @Roles('org_admin')
  @HttpCode(202)
  @ApiOperation({
    summary: "Queue a recompute of the organisation's figures; follow it with GET /jobs/:jobId",
  })
  recompute(@CurrentUser() user: AuthUser, @RequestId() requestId: string) {
    return this.jobs.recompute(user, requestId);
  }

  @Get('jobs/:jobId')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({
    summary: 'State and progress (0-100) of a job of your organisation',
  })
  job(@CurrentUser() user: AuthUser, @Param('jobId') jobId: string) {
    return this.jobs.job(user, jobId);
  }
}
