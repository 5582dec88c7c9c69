import { Injectable } from '@nestjs/common';
import { AuthUser } from '@klantmonitor/api/core';
import type { AnalyticsEndpoint } from '@klantmonitor/server/analytics';
import {
  BENCHMARK_DEFAULTS,
  benchmarkRequests,
  STEP_LABELS_NL,
  type BenchmarkFilters,
  todayInAmsterdam,
} from '@klantmonitor/shared/domain';
import { KLANTBELEVING_V1 } from '@klantmonitor/shared/questionnaires';
import { paramError, parseAnalyticsQuery } from './analytics-params';
import { AnalyticsService, type AnswerObject } from './analytics.service';
import { filterLines, toCsv, toXlsx } from './export/export-files';
import { exportTable } from './export/export-table';
import { renderReport } from './export/report-pdf';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** The report's own parameters: the benchmark page's filters, minCell and format. */
const REPORT_PARAMS = [
  'cohortFrom',
  'cohortTo',
  'asOf',
  'municipalities',
  'clientTypes',
  'step',
  'withinDays',
  'periodUnit',
  'minCell',
  'format',
];

/** `format` of an analytics request: json (default), csv or xlsx; anything else names the parameter. */
export function takeFormat(
  raw: Record<string, unknown>,
  allowed: readonly string[],
): { format: string; rest: Record<string, unknown> } {
  const { format, ...rest } = raw;
  if (format === undefined) return { format: allowed[0], rest };
  if (typeof format !== 'string' || !allowed.includes(format))
    throw paramError('format', `must be one of ${allowed.join(', ')}`);
  return { format, rest };
}

/**
 * CSV, XLSX and PDF of the analytics (docs/analytics.md "Exports"): always made from the answer the JSON
 * endpoint gives the same caller, so roles, tenancy, suppression and the 400s are the JSON's.
 */
@Injectable()
export class AnalyticsExportService {
  constructor(private readonly analytics: AnalyticsService) {}

  async file(
    user: AuthUser,
    endpoint: AnalyticsEndpoint,
    raw: Record<string, unknown>,
    format: 'csv' | 'xlsx',
  ): Promise<ExportFile> {
    const answer = await this.analytics.figures(user, endpoint, raw);
    const names = await this.analytics.municipalityNames();
    const table = exportTable(endpoint, answer, names);
    const stamp = (answer.query['asOf'] as string) ?? todayInAmsterdam();
    const filename = `klantmonitor-${endpoint}-${stamp}.${format}`;
    if (format === 'csv')
      return {
        body: toCsv(table),
        contentType: 'text/csv; charset=utf-8',
        filename,
      };
    const organisation = (await this.analytics.ownOrganisation(user)).name;
    return {
      body: await toXlsx(table, {
        endpoint,
        organisation,
        computedAt: answer.computedAt,
        query: answer.query,
        minCell: answer.query.minCell,
      }),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename,
    };
  }

  /** The A4 report of the benchmark page for these filters. */
  async report(user: AuthUser, raw: Record<string, unknown>): Promise<ExportFile> {
    const unknown = Object.keys(raw).find((k) => !REPORT_PARAMS.includes(k));
    if (unknown !== undefined)
      throw paramError(unknown.slice(0, 64), `is not a parameter of report (allowed: ${REPORT_PARAMS.join(', ')})`);
    const { rest } = takeFormat(raw, ['pdf']);
    // The same strict checks as the JSON endpoints, by the same parser (a 400 names the parameter).
    const { query, minCell } = parseAnalyticsQuery(
      'step-attainment',
      { step: BENCHMARK_DEFAULTS.step, ...rest, groupBy: 'municipality' },
      todayInAmsterdam(),
    );
    const filters: BenchmarkFilters = {
      cohortFrom: query.cohortFrom,
      cohortTo: query.cohortTo,
      asOf: typeof rest['asOf'] === 'string' && rest['asOf'] ? query.asOf : null,
      municipalities: query.municipalities ?? [],
      clientTypes: query.clientTypes ?? [],
      step: query.step ?? BENCHMARK_DEFAULTS.step,
      withinDays: query.withinDays ?? BENCHMARK_DEFAULTS.withinDays,
      periodUnit: rest['periodUnit'] === 'quarter' ? 'quarter' : 'month',
    };
    const options = await this.analytics.options(user);
    const items = KLANTBELEVING_V1.items.map((i) => i.code).filter((c) => options.items.includes(c));
    const requests = benchmarkRequests(
      filters,
      options.municipalities.filter((m) => m.own).map((m) => m.code),
      items,
    );
    const answers: Record<string, AnswerObject> = {};
    // A few at a time: most are stored answers; the rest are computed by PostgreSQL.
    const queue = [...requests];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let r = queue.shift(); r; r = queue.shift())
          answers[r.key] = await this.analytics.figures(user, r.endpoint, {
            ...r.params,
            ...(minCell !== null ? { minCell: String(minCell) } : {}),
          });
      }),
    );
    const first = answers['attainment'];
    const body = await renderReport({
      organisation: options.organisation,
      filterLines: filterLines({
        ...first.query,
        periodUnit: filters.periodUnit,
      }).filter(([label]) => label !== 'Ingedeeld naar'),
      computedAt: first.computedAt,
      minCell: first.query.minCell,
      step: filters.step,
      withinDays: filters.withinDays,
      names: await this.analytics.municipalityNames(),
      stepLabels: STEP_LABELS_NL,
      items: KLANTBELEVING_V1.items
        .filter((i) => items.includes(i.code))
        .map((i) => ({ code: i.code, text: i.text.nl })),
      answers,
      generatedOn: new Intl.DateTimeFormat('nl-NL', {
        dateStyle: 'long',
        timeZone: 'Europe/Amsterdam',
      }).format(new Date()),
    });
    return {
      body,
      contentType: 'application/pdf',
      filename: `klantmonitor-rapport-${query.asOf}.pdf`,
    };
  }
}
