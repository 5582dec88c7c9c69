import { BadRequestException, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  DEFAULT_INTAKE_ITEM_CODES,
  type ImportResult,
  type ImportRowError,
  type RecentImport,
  todayInAmsterdam,
  firstMeetingDue,
  previousWorkingDay,
  STEP_CODES,
} from '@klantmonitor/shared/domain';
import { currentStep, effectiveStepDates } from '@klantmonitor/shared/metrics';
import { AuthUser } from '@klantmonitor/api/core';
import { appendAudit, recentAuditEntries, TenantDb } from '@klantmonitor/server/db';
import {
  ASSESSMENT_SPEC,
  AssessmentRow,
  ImportHeaderError,
  ImportLimitError,
  ImportSpec,
  ImportContext,
  intakeAnswersSpec,
  IntakeAnswersRow,
  readImport,
  TRAJECTORY_SPEC,
  TrajectoryRow,
  UnreadableFileError,
} from '@klantmonitor/server/import';
import { requestAnalyticsRecompute } from '@klantmonitor/server/queues';
import { ImportProgressStore } from './import-progress';
import { RowSpool } from './row-spool';
import {
  clientRefProblems,
  clientTypes,
  copyIntoStaging,
  createStaging,
  mergeAssessments,
  mergeIntakeAnswers,
  mergeTrajectories,
  servedMunicipalities,
  type ImportActor,
  type Staging,
} from './import.repository';
import { TemplateFile, templateFile, TemplateKind } from './import-template';

const MAX_REPORTED_ERRORS = 1000;
/** The audit actions of a finished import (one per kind). */
const IMPORT_ACTIONS = ['import.trajectories', 'import.assessments', 'import.intake-answers'];
const INTAKE_SPEC = intakeAnswersSpec(DEFAULT_INTAKE_ITEM_CODES);

export interface ImportRequest {
  user: AuthUser;
  source: AsyncIterable<Buffer>;
  dryRun: boolean;
  progressId?: string;
  totalBytes: number | null;
  requestId: string;
}

/**
 * Imports from existing systems. Rows are validated while the file streams in, with no transaction
 * open, and valid rows are spooled to a temporary file; when every row is valid, one transaction
 * copies them into a staging table in batches and set-based SQL merges that into the real tables
 * (idempotent by client_ref). Any problem means 422 and nothing written; a file over one of
 * IMPORT_LIMITS is a 413 that names the limit. Memory stays flat whatever the file's size.
 */
@Injectable()
export class ImportService {
  /** The last imports (not dry runs), newest first, as the audit log has them. */
  /** A file to fill in for one kind of import, with the organisation's own codes (import-template.ts). */
  template(user: AuthUser, kind: TemplateKind, format: 'csv' | 'xlsx'): Promise<TemplateFile> {
    return this.db.run({ organisationId: user.organisationId }, async (em) =>
      templateFile(kind, format, {
        municipalities: await servedMunicipalities(em),
        clientTypes: await clientTypes(em),
      }),
    );
  }

  recent(user: AuthUser): Promise<RecentImport[]> {
    return this.db.run({ organisationId: user.organisationId }, async (em) =>
      (await recentAuditEntries(em, IMPORT_ACTIONS, 10)).map((e) => ({
        at: e.occurred_at.toISOString(),
        kind: e.action.slice('import.'.length) as RecentImport['kind'],
        by: e.actor_name,
        rows: Number(e.details?.['rows'] ?? 0),
        created: Number(e.details?.['created'] ?? 0),
        updated: Number(e.details?.['updated'] ?? 0),
      })),
    );
  }

  constructor(
    private readonly db: TenantDb,
    private readonly progress: ImportProgressStore,
  ) {}

  trajectories(req: ImportRequest): Promise<ImportResult> {
    const staging: Staging<TrajectoryRow> = {
      table: 'import_trajectories',
      columns:
        'row_number, client_ref, municipality, first_contact, steps, effective_steps, current_step, dropout_on, dropout_reason, last_step, registered_on, crisis, first_meeting_due, first_meeting_alert_on',
      types: [
        'int',
        'text',
        'text',
        'date',
        'jsonb',
        'jsonb',
        'text',
        'date',
        'text',
        'date',
        'date',
        'text',
        'date',
        'date',
      ],
      toRow: (n, v) => {
        // The monotone closure comes from shared/metrics, the one place it is defined; the legal
        // term from shared/domain (#26). A waiting request has no step and its request as activity.
        const effective = v.firstContact ? effectiveStepDates({ ...v.steps, first_contact: v.firstContact }) : null;
        const lastStep = v.firstContact ? [v.firstContact, ...Object.values(v.steps)].sort().at(-1) : v.registeredOn;
        const due = firstMeetingDue(v.registeredOn, v.crisis);
        return [
          n,
          v.clientRef,
          v.municipality,
          v.firstContact,
          JSON.stringify(v.steps),
          JSON.stringify(effective ?? Object.fromEntries(STEP_CODES.map((c) => [c, null]))),
          effective ? currentStep(effective) : null,
          v.dropoutDate,
          v.dropoutReason,
          lastStep,
          v.registeredOn,
          v.crisis,
          due,
          previousWorkingDay(due),
        ];
      },
    };
    return this.run(req, TRAJECTORY_SPEC, staging, (em, today) => mergeTrajectories(em, actorOf(req), today));
  }

  /** Intake answers of the default instrument (segmentation); re-importing a client and day replaces them. */
  intakeAnswers(req: ImportRequest): Promise<ImportResult> {
    const staging: Staging<IntakeAnswersRow> = {
      table: 'import_intake',
      columns: 'row_number, client_ref, answered_on, answers',
      types: ['int', 'text', 'date', 'jsonb'],
      // Only the answers given: a missing item is absent, never 0.
      toRow: (n, v) => [
        n,
        v.clientRef,
        v.answeredOn,
        JSON.stringify(Object.fromEntries(Object.entries(v.answers).filter(([, a]) => a !== null))),
      ],
    };
    return this.run(
      req,
      INTAKE_SPEC,
      staging,
      (em) => mergeIntakeAnswers(em, actorOf(req)),
      (em) =>
        clientRefProblems(em, 'import_intake', 'answered_on', (ref, date) => ({
          code: 'duplicate_intake',
          message: `${ref} has a second set of answers on ${date} in this file`,
        })),
    );
  }

  assessments(req: ImportRequest): Promise<ImportResult> {
    const staging: Staging<AssessmentRow> = {
      table: 'import_assessments',
      columns: 'row_number, client_ref, assessed_on, client_type',
      types: ['int', 'text', 'date', 'text'],
      toRow: (n, v) => [n, v.clientRef, v.assessedOn, v.clientType],
    };
    return this.run(
      req,
      ASSESSMENT_SPEC,
      staging,
      (em) => mergeAssessments(em, actorOf(req)),
      (em) =>
        clientRefProblems(em, 'import_assessments', 'assessed_on', (ref, date) => ({
          code: 'duplicate_assessment',
          message: `${ref} has a second assessment on ${date} in this file`,
        })),
    );
  }

  private async run<T>(
    req: ImportRequest,
    spec: ImportSpec<T>,
    staging: Staging<T>,
    merge: (em: EntityManager, today: string) => Promise<{ created: number; updated: number }>,
    /** Problems only the database can see (unknown clients, a client and day twice); a dry run asks them too. */
    checks?: (em: EntityManager) => Promise<ImportRowError[]>,
  ): Promise<ImportResult> {
    const orgId = req.user.organisationId as string;
    const today = todayInAmsterdam();
    const errors: ImportRowError[] = [];
    let errorCount = 0;
    let rows = 0;
    let bytesRead = 0;
    const counted = (async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        bytesRead += chunk.length;
        yield chunk;
      }
    })(req.source);
    const report = (phase: 'reading' | 'writing' | 'done' | 'failed') =>
      this.progress.set(orgId, req.progressId, { phase, rowsRead: rows, bytesRead, totalBytes: req.totalBytes });

    const spool = await RowSpool.create();
    try {
      // 1. Read and validate the whole file with no transaction open: an upload that is slow, large
      //    or hostile holds no database connection while it streams (security review, #11).
      const servedRows: { code: string; name: string }[] = await this.db.run({ organisationId: orgId }, (em) =>
        servedMunicipalities(em),
      );
      const served = new Set(servedRows.map((r) => r.code));
      const servedNames = new Map(servedRows.map((r) => [r.name.toLowerCase(), r.code]));
      await report('reading');
      const ctx: ImportContext = { today, servedMunicipalities: served, servedNames, seenRefs: new Set() };
      for await (const item of readImport(counted, spec, ctx)) {
        rows++;
        if ('problems' in item) {
          errorCount += item.problems.length;
          for (const p of item.problems) if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: item.row, ...p });
        } else if (errorCount === 0) {
          // Once a row is wrong nothing will be written: keep validating, stop keeping rows.
          await spool.write(staging.toRow(item.row, item.value));
        }
        if (rows % 5000 === 0) await report('reading');
      }
      if (bytesRead === 0)
        throw new BadRequestException({
          message: 'The file is empty',
          code: 'empty_file',
          details: [{ field: 'file', message: 'is empty' }],
        });
      if (rows === 0)
        throw new BadRequestException({
          message: 'The file has a header but no data rows',
          code: 'no_data_rows',
          details: [{ field: 'file', message: 'has no data rows' }],
        });
      if (errorCount) throw rowErrors(req.dryRun, rows, errors, errorCount);
      // Said only when a row gave a name (the answer of a file with codes stays as it was).
      const names = ctx.municipalityNames ? { municipalityNames: ctx.municipalityNames } : {};
      const dryResult = {
        dryRun: true,
        rows,
        imported: 0,
        created: 0,
        updated: 0,
        errors: [],
        errorCount: 0,
        ...names,
      };
      if (req.dryRun && !checks) {
        await report('done');
        return dryResult;
      }

      // 2. One transaction that only writes (or, on a dry run, only checks): staging table from the
      //    spooled rows, the checks, then the merge.
      await report(req.dryRun ? 'reading' : 'writing');
      return await this.db.run({ organisationId: orgId }, async (em) => {
        await createStaging(em, staging);
        await copyIntoStaging(em, staging, spool);
        const problems = checks ? await checks(em) : [];
        if (problems.length) throw rowErrors(req.dryRun, rows, problems.slice(0, MAX_REPORTED_ERRORS), problems.length);
        if (req.dryRun) {
          await report('done');
          return dryResult;
        }
        const merged = await merge(em, today);
        await appendAudit(em, {
          organisationId: orgId,
          actorUserId: req.user.id,
          actorRole: req.user.role,
          action: `import.${spec.kind}`,
          requestId: req.requestId,
          details: { rows, created: merged.created, updated: merged.updated, bytes: bytesRead },
        });
        // The figures follow the imported history (docs/metrics.md): recompute, via the outbox like every job.
        await requestAnalyticsRecompute(em, `import:${req.user.id}`);
        await report('done');
        return {
          dryRun: false,
          rows,
          imported: rows,
          created: merged.created,
          updated: merged.updated,
          errors: [],
          errorCount: 0,
          ...names,
        };
      });
    } catch (e) {
      await report('failed');
      if (e instanceof ImportHeaderError) {
        throw rowErrors(
          req.dryRun,
          0,
          e.problems.map((p) => ({ row: 1, ...p })),
          e.problems.length,
        );
      }
      if (e instanceof UnreadableFileError)
        throw new BadRequestException({
          message: e.message,
          code: 'unreadable_file',
          details: [{ field: 'file', message: e.message }],
        });
      if (e instanceof ImportLimitError) throw importLimitExceeded(e);
      throw e;
    } finally {
      await spool.dispose();
    }
  }
}

/** 413 naming the limit (`limit`, `max`), so the dashboard can say it in the reader's language. */
function importLimitExceeded(e: ImportLimitError): HttpException {
  return new HttpException(
    {
      statusCode: 413,
      error: 'Payload Too Large',
      message: `${e.message}; nothing was imported`,
      code: 'import_limit',
      limit: e.limit,
      max: e.max,
      details: [{ field: 'file', message: e.message }],
    },
    HttpStatus.PAYLOAD_TOO_LARGE,
  );
}

/** 422 in the import answer's shape, with the standard error fields. */
function rowErrors(dryRun: boolean, rows: number, errors: ImportRowError[], errorCount: number): HttpException {
  return new HttpException(
    {
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: `${errorCount} problem${errorCount === 1 ? '' : 's'} in the file; nothing was imported`,
      dryRun,
      rows,
      imported: 0,
      created: 0,
      updated: 0,
      errors,
      errorCount,
      details: errors.map((e) => ({ field: `row ${e.row}, ${e.column}`, message: e.message })),
    },
    HttpStatus.UNPROCESSABLE_ENTITY,
  );
}

const actorOf = (req: ImportRequest): ImportActor => ({
  id: req.user.id,
  role: req.user.role,
  requestId: req.requestId,
});
