import { Injectable } from '@nestjs/common';
import { AuthUser } from '@klantmonitor/api/core';
import {
  BENCHMARK_DEFAULTS,
  benchmarkRequests,
  STEP_LABELS_NL,
  type BenchmarkFilters,
  todayInAmsterdam,
} from '@klantmonitor/shared/domain';
import { KLANTBELEVING_V1 } from '@klantmonitor/shared/questionnaires';
import { checkedAnalyticsQuery, toAnalyticsQuery, type ParsedAnalyticsQuery } from './analytics-params';
import type { ReportQueryDto } from './dto/analytics-query.dto';
import { AnalyticsService, type AnswerObject } from './analytics.service';
import { filterLines, toCsv, toXlsx } from './export/export-files';
import { exportTable } from './export/export-table';
import { renderReport } from './export/report-pdf';
import { reportWorkbook } from './export/report-xlsx';

export interface ExportFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/**
 * CSV, XLSX and PDF of the analytics (docs/analytics.md "Exports"): always made from the answer the JSON
 * endpoint gives the same caller, so roles, tenancy, suppression and the 400s are the JSON's.
 */
@Injectable()
export class AnalyticsExportService {
  constructor(private readonly analytics: AnalyticsService) {}

  async file(user: AuthUser, parsed: ParsedAnalyticsQuery, format: 'csv' | 'xlsx'): Promise<ExportFile> {
    const endpoint = parsed.query.endpoint;
    const answer = await this.analytics.figures(user, parsed);
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
        names,
      }),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename,
    };
  }

  /** The benchmark page for these filters: the A4 report (pdf) or the workbook for people (xlsx). */
  async report(user: AuthUser, dto: ReportQueryDto): Promise<ExportFile> {
    const today = todayInAmsterdam();
    // The date checks of the JSON endpoints (asOf not after today, cohortFrom not after cohortTo).
    const { query, minCell } = toAnalyticsQuery(
      'step-attainment',
      { ...dto, format: undefined, step: dto.step ?? BENCHMARK_DEFAULTS.step, groupBy: ['municipality'] },
      today,
    );
    const filters: BenchmarkFilters = {
      cohort: dto.cohort && dto.cohort !== 'rolling' ? dto.cohort : null,
      cohortFrom: query.cohortFrom,
      cohortTo: query.cohortTo,
      asOf: dto.asOf ? query.asOf : null,
      municipalities: query.municipalities ?? [],
      clientTypes: query.clientTypes ?? [],
      step: query.step ?? BENCHMARK_DEFAULTS.step,
      withinDays: query.withinDays ?? BENCHMARK_DEFAULTS.withinDays,
      periodUnit: dto.periodUnit === 'quarter' ? 'quarter' : 'month',
      timeBy: dto.timeBy ?? BENCHMARK_DEFAULTS.timeBy,
      compareTo: dto.compareTo ?? null,
    };
    const options = await this.analytics.options(user);
    const items = KLANTBELEVING_V1.items.map((i) => i.code).filter((c) => options.items.includes(c));
    const requests = benchmarkRequests(
      filters,
      options.municipalities.filter((m) => m.own).map((m) => m.code),
      items,
      options.municipalities.filter((m) => m.protected).map((m) => m.code),
    );
    const answers: Record<string, AnswerObject> = {};
    // A few at a time: most are stored answers; the rest are computed by PostgreSQL.
    const queue = [...requests];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let r = queue.shift(); r; r = queue.shift())
          answers[r.key] = await this.analytics.figures(
            user,
            await checkedAnalyticsQuery(
              r.endpoint,
              { ...r.params, ...(minCell !== null ? { minCell: String(minCell) } : {}) },
              today,
            ),
          );
      }),
    );
    const first = answers['attainment'];
    const names = await this.analytics.municipalityNames();
    const input = {
      organisation: options.organisation,
      filterLines: filterLines(
        {
          ...first.query,
          // The trend's periods as answered (quarters where other organisations' figures are protected).
          periodUnit: answers['trendAttainment']?.query['periodUnit'] ?? filters.periodUnit,
        },
        names,
      ).filter(([label]) => label !== 'Ingedeeld naar'),
      computedAt: first.computedAt,
      minCell: first.query.minCell,
      step: filters.step,
      withinDays: filters.withinDays,
      names,
      stepLabels: STEP_LABELS_NL,
      items: KLANTBELEVING_V1.items
        .filter((i) => items.includes(i.code))
        .map((i) => ({ code: i.code, text: i.text.nl })),
      answers,
      generatedOn: new Intl.DateTimeFormat('nl-NL', {
        dateStyle: 'long',
        timeZone: 'Europe/Amsterdam',
      }).format(new Date()),
      clientTypes: filters.clientTypes,
    };
    if (dto.format === 'xlsx')
      return {
        body: await reportWorkbook(input),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        filename: `klantmonitor-vergelijking-${query.asOf}.xlsx`,
      };
    return {
      body: await renderReport(input),
      contentType: 'application/pdf',
      filename: `klantmonitor-rapport-${query.asOf}.pdf`,
    };
  }
}
