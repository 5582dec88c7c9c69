import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RecentImport } from '@klantmonitor/shared/domain';
import type { ImportProgress, ImportResult } from '@klantmonitor/shared/domain';
import { AuthUser, CurrentUser, fieldError, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { ImportProgressStore } from './import-progress';
import { ImportRequest, ImportService } from './import.service';
import { IMPORT_MAX_BYTES } from './limits';
import { TEMPLATE_KINDS, TemplateKind } from './import-template';

export class ImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Validate only; write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'A UUID you choose, to follow progress at GET /imports/progress/:id' })
  @IsOptional()
  @IsUUID('4', { message: 'progressId must be a UUID' })
  progressId?: string;
}

export class TemplateQueryDto {
  @ApiPropertyOptional({
    enum: ['csv', 'xlsx'],
    description: 'csv (default): the columns and an example row; xlsx: also sheets "Uitleg" and "Codes"',
  })
  @IsOptional()
  @IsIn(['csv', 'xlsx'], { message: 'format must be csv or xlsx' })
  format?: 'csv' | 'xlsx';
}

const IMPORTED =
  'rows read, imported, created, updated (a dry run imports nothing); municipalityNames when rows named a served municipality instead of its code';

type MultipartRequest = FastifyRequest & {
  file(): Promise<{ fieldname: string; file: AsyncIterable<Buffer> & { truncated?: boolean } } | undefined>;
  isMultipart(): boolean;
};

const FILE_BODY = {
  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
};

/** Imports of organisation admins: CSV (`,` or `;`) or XLSX in multipart field `file`. */
@ApiTags('import')
@ApiBearerAuth()
@Controller('v1/imports')
export class ImportController {
  constructor(
    private readonly imports: ImportService,
    private readonly progress: ImportProgressStore,
  ) {}

  @Post('trajectories')
  @Roles('org_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import trajectories (one row per client_ref; re-import updates)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @ApiQuery({ name: 'dryRun', required: false })
  @ApiUnprocessableEntityResponse({ description: 'Row errors: nothing imported' })
  @ApiOkResponse({ description: IMPORTED })
  async trajectories(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Query() q: ImportQueryDto,
    @RequestId() requestId: string,
  ): Promise<ImportResult> {
    return this.imports.trajectories(await this.request(req, user, q, requestId));
  }

  @Post('assessments')
  @Roles('org_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import assessments (client_ref, assessed_on, client_type; types are created on first use)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @ApiUnprocessableEntityResponse({ description: 'Row errors: nothing imported' })
  @ApiOkResponse({ description: IMPORTED })
  async assessments(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Query() q: ImportQueryDto,
    @RequestId() requestId: string,
  ): Promise<ImportResult> {
    return this.imports.assessments(await this.request(req, user, q, requestId));
  }

  @Post('intake-answers')
  @Roles('org_admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Import intake answers (client_ref, answered_on, item codes of the default instrument, each 1..5 or empty; re-import of a client and day replaces them)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(FILE_BODY)
  @ApiUnprocessableEntityResponse({ description: 'Row errors: nothing imported' })
  @ApiOkResponse({ description: IMPORTED })
  async intakeAnswers(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Query() q: ImportQueryDto,
    @RequestId() requestId: string,
  ): Promise<ImportResult> {
    return this.imports.intakeAnswers(await this.request(req, user, q, requestId));
  }

  @Get('recent')
  @Roles('org_admin')
  @ApiOperation({
    summary:
      "The organisation's last 10 imports: when, by whom, what kind, rows, created and updated (from the audit log)",
  })
  recent(@CurrentUser() user: AuthUser): Promise<RecentImport[]> {
    return this.imports.recent(user);
  }

  @Get('templates/:kind')
  @Roles('org_admin')
  @ApiOperation({
    summary:
      'A file to fill in for an import: the columns with an example row (CSV, ; separated), or as XLSX with a sheet explaining each column in Dutch and a sheet with the codes (municipalities, dropout reasons, client types)',
  })
  @ApiParam({ name: 'kind', enum: TEMPLATE_KINDS })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  async template(
    @CurrentUser() user: AuthUser,
    @Param('kind') kind: string,
    @Query() q: TemplateQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    if (!(TEMPLATE_KINDS as readonly string[]).includes(kind))
      throw fieldError('kind', `must be one of ${TEMPLATE_KINDS.join(', ')}`);
    const file = await this.imports.template(user, kind as TemplateKind, q.format ?? 'csv');
    reply.header('content-type', file.contentType);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    reply.header('cache-control', 'private, no-store');
    return file.body;
  }

  @Get('progress/:id')
  @Roles('org_admin')
  @ApiOperation({ summary: 'Progress of an import started with ?progressId=' })
  async status(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string): Promise<ImportProgress> {
    const p = await this.progress.get(user.organisationId as string, id);
    if (!p) throw new NotFoundException('No import with this progress id');
    return p;
  }

  private async request(
    req: FastifyRequest,
    user: AuthUser,
    q: ImportQueryDto,
    requestId: string,
  ): Promise<ImportRequest> {
    const length = Number(req.headers['content-length']);
    // Refuse what is certainly too large before reading a byte; a chunked upload meets the stream limit.
    if (Number.isFinite(length) && length > IMPORT_MAX_BYTES + 64 * 1024) {
      throw new PayloadTooLargeException(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB`);
    }
    const multipart = req as MultipartRequest;
    if (!multipart.isMultipart())
      throw new UnsupportedMediaTypeException('Send the file as multipart/form-data in the field "file"');
    const part = await multipart.file();
    if (!part) throw fieldError('file', 'is required (multipart field "file")');
    if (part.fieldname !== 'file') throw fieldError('file', `is expected in the field "file", not "${part.fieldname}"`);
    return {
      user,
      source: part.file,
      dryRun: q.dryRun === 'true',
      progressId: q.progressId,
      totalBytes: Number.isFinite(length) && length > 0 ? length : null,
      requestId,
    };
  }
}
