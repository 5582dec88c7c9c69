/**
 * The A4 benchmark report (docs/analytics.md "Exports"): a title page, one section per chart of
 * /vergelijken with the chart and its table, the funnel plot, definitions and the small-cell note.
 * Drawn with PDFKit as vectors and real text (searchable, copyable) in the PDF standard fonts, so
 * it needs no browser, no font files and no native code: any machine that runs the api makes it
 * (docs/analytics.md says why this approach). Charts are drawn from the same answers as the page.
 */
import PDFDocument from 'pdfkit';
import {
  LADDER_STEPS,
  STEP_CODES,
  type BenchmarkAnswerOf,
  type GroupFields,
  type DropoutRow,
  type StepAttainmentRow,
  type StepCode,
  type SupportRow,
  type TimeToStepRow,
} from '@klantmonitor/shared/domain';
import { funnelCurve, funnelPoints } from '@klantmonitor/shared/metrics';
import { columnDefinition, smallCellNote } from './definitions';
import { reportSummary } from './report-summary';
import { dutchMoment } from './export-files';
import type { ExportAnswer } from './export-table';

/** A period of the trend table: the step's and the dropout's figures side by side. */
interface TrendCells {
  period: string;
  suppressed?: boolean;
  eligible: number | null | undefined;
  share: number | null | undefined;
  attSuppressed: boolean;
  n: number | null | undefined;
  dropShare: number | null | undefined;
  dropSuppressed: boolean;
}

/** A row of a table the report draws itself (labels and formatted figures): not an answer. */
type Cells = Record<string, unknown> & { suppressed?: boolean };

export interface ReportInput {
  organisation: string;
  filterLines: [string, string][];
  computedAt: string | null;
  minCell: number;
  step: StepCode;
  withinDays: number;
  names: ReadonlyMap<string, string>;
  stepLabels: Record<StepCode, string>;
  items: { code: string; text: string }[];
  /** Answers by benchmark request key (see benchmarkRequests in shared/domain). */
  answers: Record<string, ExportAnswer>;
  generatedOn: string;
  /** The client types filtered on (the summary sentence names one type). */
  clientTypes?: string[];
}

// Okabe-Ito: told apart with every common colour-vision deficiency.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
const GREY = '#777777';
/** Height of one bar row in the bar charts, in points. */
const BAR_H = 11;
const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const WIDTH = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin;

const nlInt = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
const nlDec = new Intl.NumberFormat('nl-NL', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const nlPct = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const pct = (v: unknown) => (typeof v === 'number' ? nlPct.format(v) : '–');
const int = (v: unknown) => (typeof v === 'number' ? nlInt.format(v) : '–');
const dec = (v: unknown) => (typeof v === 'number' ? nlDec.format(v) : '–');

export async function renderReport(input: ReportInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    info: {
      Title: 'Klantmonitor: gemeenten vergelijken',
      Author: 'Klantmonitor',
      Subject: input.organisation,
    },
    lang: 'nl-NL',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  new Report(doc, input).write();
  doc.end();
  return done;
}

interface Column<R> {
  title: string;
  width: number;
  align?: 'left' | 'right';
  value: (r: R) => string;
}

class Report {
  private readonly suppressedLabel: string;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly input: ReportInput,
  ) {
    this.suppressedLabel = `minder dan ${input.minCell} cliënten`;
  }

  /** The answer of a question, typed by its key (the row types of shared/domain). */
  private answer<K extends string>(key: K): BenchmarkAnswerOf<K> | null {
    return (this.input.answers[key] as unknown as BenchmarkAnswerOf<K> | undefined) ?? null;
  }

  private name(r: GroupFields): string {
    const code = r.municipality ?? '';
    return this.input.names.get(code) ?? code;
  }

  private clientType(r: GroupFields): string {
    const t = r.clientType ?? '';
    return t === 'unknown' ? 'onbekend' : t;
  }

  write(): void {
    this.titlePage();
    this.municipalities();
    this.funnel();
    this.ladder();
    this.time();
    this.dropout();
    this.experience();
    this.support();
    this.trend();
    this.waiting();
    this.definitions();
    this.pageNumbers();
  }

  // ---------- layout helpers ----------

  private newPage(): void {
    this.doc.addPage();
  }

  private ensure(height: number): void {
    if (this.doc.y + height > BOTTOM) this.newPage();
  }

  private heading(text: string): void {
    this.newPage();
    this.doc
      .font('Helvetica-Bold')
      .fontSize(16)
      .fillColor('#000')
      .text(text, PAGE.margin, PAGE.margin, { width: WIDTH });
    this.doc.moveDown(0.5);
  }

  private para(text: string, size = 10): void {
    this.doc.font('Helvetica').fontSize(size).fillColor('#000').text(text, PAGE.margin, this.doc.y, { width: WIDTH });
    this.doc.moveDown(0.4);
  }

  private subheading(text: string): void {
    this.ensure(40);
    this.doc.moveDown(0.3);
    this.doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor('#000')
      .text(text, PAGE.margin, this.doc.y, { width: WIDTH });
    this.doc.moveDown(0.3);
  }

  /**
   * A table with a header row, continued (header again) on the next page when it does not fit. Header
   * and cells wrap within their column: a row is as high as its highest cell, so no text ever prints
   * over another (the test reads every word's box with pdftotext -bbox-layout).
   */
  private table<R extends { suppressed?: boolean }>(columns: Column<R>[], rows: R[]): void {
    const d = this.doc;
    const PADY = 3;
    // A cell's font size: 8, or smaller so that its longest word fits (words never break inside).
    const sizeFor = (text: string, width: number, bold: boolean) => {
      d.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      const longest = Math.max(0, ...text.split(/\s+/).map((w) => d.widthOfString(w)));
      return longest > width ? Math.max(5.5, (8 * width) / longest - 0.1) : 8;
    };
    const cellHeight = (text: string, width: number, size: number) => {
      d.fontSize(size);
      return Math.max(d.currentLineHeight(), d.heightOfString(text || ' ', { width, align: 'left' }));
    };
    const drawRow = (cells: string[], bold: boolean, colour: string) => {
      const sizes = cells.map((t, k) => sizeFor(t, columns[k].width - 4, bold));
      d.font(bold ? 'Helvetica-Bold' : 'Helvetica');
      const height = Math.max(...cells.map((t, k) => cellHeight(t, columns[k].width - 4, sizes[k]))) + PADY;
      if (d.y + height > BOTTOM) return null;
      const y = d.y;
      let x = PAGE.margin;
      d.fillColor(colour);
      cells.forEach((t, k) => {
        const c = columns[k];
        d.fontSize(sizes[k]).text(t, x + 2, y, { width: c.width - 4, align: c.align ?? 'left' });
        x += c.width;
      });
      d.y = y + height;
      return y + height;
    };
    const header = () => {
      this.ensure(40);
      const bottom = drawRow(
        columns.map((c) => c.title),
        true,
        '#000',
      ) as number;
      d.moveTo(PAGE.margin, bottom - 1.5)
        .lineTo(PAGE.margin + WIDTH, bottom - 1.5)
        .lineWidth(0.5)
        .strokeColor('#000')
        .stroke();
      d.y = bottom + 1;
    };
    header();
    for (const r of rows) {
      const cells = columns.map((c) => c.value(r));
      const colour = r.suppressed === true ? GREY : '#000';
      if (drawRow(cells, false, colour) === null) {
        this.newPage();
        header();
        drawRow(cells, false, colour);
      }
    }
    d.fillColor('#000');
    d.x = PAGE.margin;
    d.moveDown(0.5);
  }

  /** Axes box with y ticks as percentages (0..1) and a title on the x axis. */
  private frame(
    x: number,
    y: number,
    w: number,
    h: number,
    xTitle: string,
    yTitle: string,
    yMax = 1,
    xTitleBelow = 14,
  ): void {
    const d = this.doc;
    d.lineWidth(0.5).strokeColor('#000').rect(x, y, w, h).stroke();
    d.font('Helvetica').fontSize(7).fillColor('#000');
    for (let i = 0; i <= 4; i++) {
      const v = (yMax * i) / 4;
      const yy = y + h - (h * i) / 4;
      d.moveTo(x, yy)
        .lineTo(x + w, yy)
        .lineWidth(0.2)
        .strokeColor('#cccccc')
        .stroke();
      d.text(pct(v), x - 36, yy - 3, {
        width: 32,
        align: 'right',
        lineBreak: false,
      });
    }
    d.text(xTitle, x, y + h + xTitleBelow, {
      width: w,
      align: 'center',
      lineBreak: false,
    });
    d.save()
      .rotate(-90, { origin: [x - 40, y + h / 2] })
      .text(yTitle, x - 40 - h / 2, y + h / 2 - 8, {
        width: h,
        align: 'center',
        lineBreak: false,
      })
      .restore();
  }

  private legend(entries: { label: string; colour: string; dash?: boolean }[]): void {
    const d = this.doc;
    let x = PAGE.margin;
    const y = d.y;
    d.font('Helvetica').fontSize(8);
    for (const e of entries) {
      const w = d.widthOfString(e.label) + 26;
      if (x + w > PAGE.margin + WIDTH) break;
      d.moveTo(x, y + 4)
        .lineTo(x + 16, y + 4)
        .lineWidth(2)
        .strokeColor(e.colour);
      if (e.dash) d.dash(3, { space: 2 });
      d.stroke().undash();
      d.fillColor('#000').text(e.label, x + 20, y, { lineBreak: false });
      x += w;
    }
    d.y = y + 14;
  }

  /**
   * One horizontal bar per row, labelled with the municipality, 45 to a page; a suppressed row (or
   * one without figures) is an empty dashed bar with the small-cell label, never a bar of 0.
   */
  private barRows<R extends GroupFields & { suppressed: boolean }>(
    rows: R[],
    hasFigures: (r: R) => boolean,
    drawBar: (r: R, x0: number, y: number, chartW: number) => void,
    afterBlock?: (top: number, count: number, x0: number, chartW: number) => void,
  ): void {
    const d = this.doc;
    const labelW = 130;
    const chartW = WIDTH - labelW - 50;
    const x0 = PAGE.margin + labelW;
    for (let start = 0; start < rows.length; start += 45) {
      const part = rows.slice(start, start + 45);
      this.ensure(part.length * BAR_H + 40);
      const top = d.y;
      part.forEach((r, i) => {
        const y = top + i * BAR_H;
        d.font('Helvetica')
          .fontSize(7)
          .fillColor('#000')
          .text(this.name(r), PAGE.margin, y + 2, {
            width: labelW - 6,
            align: 'right',
            lineBreak: false,
            ellipsis: true,
          });
        if (r.suppressed === true || !hasFigures(r)) {
          d.rect(x0, y + 1, chartW * 0.25, BAR_H - 3)
            .lineWidth(0.5)
            .dash(1.5, { space: 1.5 })
            .strokeColor(GREY)
            .stroke()
            .undash();
          d.fillColor(GREY).text(this.suppressedLabel, x0 + 4, y + 2, {
            lineBreak: false,
          });
          return;
        }
        drawBar(r, x0, y, chartW);
      });
      afterBlock?.(top, part.length, x0, chartW);
      d.y = top + part.length * BAR_H + 10;
    }
  }

  // ---------- sections ----------

  private titlePage(): void {
    const d = this.doc;
    d.font('Helvetica-Bold').fontSize(24).text('Gemeenten vergelijken', PAGE.margin, 140, { width: WIDTH });
    d.font('Helvetica').fontSize(14).text('Klantmonitor: stabilisatiefase van de schuldhulpverlening', {
      width: WIDTH,
    });
    d.moveDown(1.5);
    d.fontSize(12).text(`Organisatie: ${this.input.organisation}`);
    d.text(`Rapport gemaakt op: ${this.input.generatedOn}`);
    d.text(`Cijfers van ${dutchMoment(this.input.computedAt)}`);
    // The page's question answered first (issue #24), the tiles and the funnel verdicts beside it.
    const sum = reportSummary({ ...this.input, clientTypes: this.input.clientTypes ?? [] });
    d.moveDown(1);
    d.font('Helvetica-Bold').fontSize(12).text('Antwoord in het kort', { width: WIDTH });
    d.font('Helvetica').fontSize(11).text(sum.sentence, { width: WIDTH });
    d.moveDown(0.5);
    const fmt = (v: number | null, kind: 'share' | 'int' | 'score') =>
      kind === 'share'
        ? pct(v)
        : kind === 'int'
          ? int(v)
          : typeof v === 'number'
            ? v.toFixed(1).replace('.', ',')
            : '–';
    d.fontSize(10);
    for (const t of sum.tiles)
      d.text(`${t.label}: jullie gemeenten ${fmt(t.own, t.kind)}, landelijk ${fmt(t.national, t.kind)}.`, {
        width: WIDTH,
      });
    d.text(`Duidelijk hoger dan het totaal: ${sum.higher}. Duidelijk lager: ${sum.lower}.`, { width: WIDTH });
    d.moveDown(1);
    d.font('Helvetica-Bold').fontSize(12).text('Filters');
    d.font('Helvetica').fontSize(10);
    for (const [label, value] of this.input.filterLines) d.text(`${label}: ${value}`, { width: WIDTH });
    d.moveDown(1);
    d.fontSize(9).fillColor(GREY).text(smallCellNote(this.input.minCell), { width: WIDTH }).fillColor('#000');
  }

  private attainmentTitle(): string {
    return `${this.input.stepLabels[this.input.step]} binnen ${this.input.withinDays} dagen`;
  }

  private municipalities(): void {
    this.heading(`1. Gemeenten naast elkaar: ${this.attainmentTitle()}`);
    const a = this.answer('attainment');
    if (!a) return this.para('Geen cijfers.');
    const p0 = a.total.share;
    this.para(
      `Het aandeel cliënten dat de stap binnen ${this.input.withinDays} dagen bereikte, per gemeente, met het 95%-interval. De lijn is het totaal van alle gemeenten samen (${pct(p0)}).`,
    );
    const rows = [...a.rows].sort((x, y) => (y.share ?? -1) - (x.share ?? -1));
    this.barRows(
      rows,
      (r) => typeof r.share === 'number',
      (r, x0, y, chartW) => {
        const d = this.doc;
        d.rect(x0, y + 1, chartW * (r.share as number), BAR_H - 3)
          .fillColor(COLOURS[0])
          .fill();
        d.moveTo(x0 + chartW * (r.ciLow as number), y + BAR_H / 2 - 0.5)
          .lineTo(x0 + chartW * (r.ciHigh as number), y + BAR_H / 2 - 0.5)
          .lineWidth(0.8)
          .strokeColor('#000')
          .stroke();
        d.fillColor('#000').text(pct(r.share), x0 + chartW + 4, y + 2, {
          lineBreak: false,
        });
      },
      (top, count, x0, chartW) => {
        if (typeof p0 !== 'number') return;
        const x = x0 + chartW * p0;
        this.doc
          .moveTo(x, top - 2)
          .lineTo(x, top + count * BAR_H)
          .lineWidth(1)
          .dash(3, { space: 2 })
          .strokeColor(COLOURS[5])
          .stroke()
          .undash();
      },
    );
    this.subheading('Tabel');
    this.table(
      [
        {
          title: 'Gemeente',
          width: 150,
          value: (r) => (r === a.total ? 'Totaal' : this.name(r)),
        },
        {
          title: 'Cliënten',
          width: 55,
          align: 'right',
          value: (r) => int(r.eligible),
        },
        {
          title: 'Bereikt',
          width: 55,
          align: 'right',
          value: (r) => int(r.reached),
        },
        {
          title: 'Aandeel',
          width: 55,
          align: 'right',
          value: (r) => (r.suppressed ? this.suppressedLabel : pct(r.share)),
        },
        {
          title: '95%-interval',
          width: 95,
          align: 'right',
          value: (r) => (typeof r.ciLow === 'number' ? `${pct(r.ciLow)} – ${pct(r.ciHigh)}` : '–'),
        },
        {
          title: 'Bereikt/verwacht',
          width: 85,
          align: 'right',
          value: (r) => dec(r.oe),
        },
      ],
      [...rows, a.total],
    );
  }

  private funnel(): void {
    this.heading('2. Trechterdiagram: verschil of toeval?');
    const a = this.answer('attainment');
    const p0 = a?.total.share;
    if (!a || typeof p0 !== 'number') return this.para('Geen cijfers.');
    const points = funnelPoints(a.rows as never, p0);
    this.para(
      `Elke stip is een gemeente: het aandeel (${this.attainmentTitle().toLowerCase()}) tegen het aantal cliënten. Binnen de lijnen kan een verschil met het totaal (${pct(p0)}) toeval zijn; buiten de buitenste lijnen (99,8%) is het verschil duidelijk.`,
    );
    const d = this.doc;
    const x = PAGE.margin + 45;
    const w = WIDTH - 55;
    const h = 300;
    this.ensure(h + 40);
    const y = d.y + 5;
    const nMax = Math.max(10, ...points.map((p) => p.n));
    this.frame(x, y, w, h, 'Aantal cliënten (schaal: wortel)', 'Aandeel');
    const xs = (n: number) => x + (w * Math.sqrt(n)) / Math.sqrt(nMax);
    const ys = (v: number) => y + h - h * v;
    d.font('Helvetica').fontSize(7).fillColor('#000');
    for (const n of [0, nMax / 4, nMax / 2, nMax])
      d.text(int(Math.round(n)), xs(n) - 15, y + h + 3, {
        width: 30,
        align: 'center',
        lineBreak: false,
      });
    const curve = funnelCurve(p0, 1, nMax, 80);
    const line = (pick: (l: (typeof curve)[number]) => number, colour: string, dash: boolean) => {
      curve.forEach((l, i) => (i === 0 ? d.moveTo(xs(l.n), ys(pick(l))) : d.lineTo(xs(l.n), ys(pick(l)))));
      d.lineWidth(1).strokeColor(colour);
      if (dash) d.dash(3, { space: 2 });
      d.stroke().undash();
    };
    line((l) => l.high95, COLOURS[4], true);
    line((l) => l.low95, COLOURS[4], true);
    line((l) => l.high998, COLOURS[1], false);
    line((l) => l.low998, COLOURS[1], false);
    d.moveTo(x, ys(p0))
      .lineTo(x + w, ys(p0))
      .lineWidth(1)
      .strokeColor('#000')
      .stroke();
    for (const p of points) {
      const shape = p.verdict === 'within' ? COLOURS[0] : p.verdict === 'higher' ? COLOURS[2] : COLOURS[5];
      if (p.verdict === 'lower')
        d.rect(xs(p.n) - 2.5, ys(p.share) - 2.5, 5, 5)
          .fillColor(shape)
          .fill();
      else if (p.verdict === 'higher')
        d.polygon([xs(p.n), ys(p.share) - 3.5], [xs(p.n) - 3.5, ys(p.share) + 2.5], [xs(p.n) + 3.5, ys(p.share) + 2.5])
          .fillColor(shape)
          .fill();
      else d.circle(xs(p.n), ys(p.share), 2).fillColor(shape).fill();
    }
    d.y = y + h + 30;
    this.legend([
      { label: `Totaal (${pct(p0)})`, colour: '#000' },
      { label: '95%-grenzen', colour: COLOURS[4], dash: true },
      { label: '99,8%-grenzen', colour: COLOURS[1] },
    ]);
    d.font('Helvetica')
      .fontSize(8)
      .fillColor('#000')
      .text('Driehoek: duidelijk hoger. Vierkant: duidelijk lager. Rondje: binnen de grenzen.', PAGE.margin, d.y, {
        width: WIDTH,
      });
    d.moveDown(0.5);
    const named = (v: 'higher' | 'lower') =>
      points
        .filter((p) => p.verdict === v)
        .map((p) => this.input.names.get(p.municipality) ?? p.municipality)
        .join(', ') || 'geen';
    this.para(`Duidelijk hoger: ${named('higher')}.`);
    this.para(`Duidelijk lager: ${named('lower')}.`);
    const suppressed = a.rows.filter((r) => r.suppressed === true).length;
    if (suppressed)
      this.para(`${int(suppressed)} gemeenten hebben ${this.suppressedLabel} en staan niet in het diagram.`);
  }

  private ladder(): void {
    this.heading(`3. Stappen binnen ${this.input.withinDays} dagen, per soort cliënt`);
    this.para(
      'Het aandeel cliënten dat elke stap binnen het aantal dagen bereikte. Een latere stap telt ook voor de eerdere.',
    );
    const answers = LADDER_STEPS.map((s) => ({
      step: s,
      a: this.answer(`ladder:${s}`),
    }));
    const types = answers[0]?.a?.rows.map((r) => String(r.clientType)) ?? [];
    const series = [
      ...types.map((t) => ({
        key: t,
        label: t === 'unknown' ? 'onbekend' : t,
      })),
      { key: '__total', label: 'Alle cliënten' },
    ];
    const value = (s: (typeof answers)[number], key: string) => {
      if (!s.a) return null;
      const r = key === '__total' ? s.a.total : s.a.rows.find((x) => x.clientType === key);
      return r && r.suppressed !== true && typeof r.share === 'number' ? r.share : null;
    };
    const d = this.doc;
    const x = PAGE.margin + 45;
    const w = WIDTH - 55;
    const h = 220;
    const y = d.y + 5;
    // Step names take two lines under the axis: its title below them.
    this.frame(x, y, w, h, 'Stap', 'Aandeel', 1, 24);
    const xs = (i: number) => x + (w * (i + 0.5)) / answers.length;
    answers.forEach((s, i) =>
      d
        .font('Helvetica')
        .fontSize(7)
        .fillColor('#000')
        .text(this.input.stepLabels[s.step], xs(i) - 45, y + h + 3, {
          width: 90,
          align: 'center',
          lineBreak: false,
          ellipsis: true,
        }),
    );
    series.forEach((se, k) => {
      const colour = se.key === '__total' ? '#000' : COLOURS[k % COLOURS.length];
      let started = false;
      answers.forEach((s, i) => {
        const v = value(s, se.key);
        if (v === null) return;
        if (!started) d.moveTo(xs(i), y + h - h * v);
        else d.lineTo(xs(i), y + h - h * v);
        started = true;
      });
      if (started) {
        d.lineWidth(1.5).strokeColor(colour);
        if (se.key === '__total') d.dash(3, { space: 2 });
        d.stroke().undash();
      }
    });
    d.y = y + h + 38;
    this.legend(
      series.map((se, k) => ({
        label: se.label,
        colour: se.key === '__total' ? '#000' : COLOURS[k % COLOURS.length],
        dash: se.key === '__total',
      })),
    );
    this.subheading('Tabel');
    const cols: Column<Cells>[] = [
      { title: 'Soort cliënt', width: 110, value: (r) => String(r['label']) },
      ...answers.map((s) => ({
        title: this.input.stepLabels[s.step],
        width: (WIDTH - 110) / answers.length,
        align: 'right' as const,
        value: (r: Cells) => String(r[s.step]),
      })),
    ];
    this.table(
      cols,
      series.map((se) => {
        const r: Cells = { label: se.label };
        for (const s of answers) {
          const v = value(s, se.key);
          r[s.step] = v === null ? this.suppressedLabel : pct(v);
        }
        return r;
      }),
    );
  }

  private time(): void {
    const step = this.input.stepLabels[this.input.step];
    this.heading(`4. Tijd tot de stap "${step}"`);
    this.para(
      'Het deel van de cliënten dat de stap na zoveel dagen had bereikt. Cliënten die uitvallen kunnen de stap niet meer bereiken; wie nog bezig is, telt mee zolang we hem volgen. De stip is de mediaan: de dag waarop de helft de stap had bereikt.',
    );
    const a = this.answer('time');
    if (!a) return this.para('Geen cijfers.');
    const series = [...a.rows, a.total];
    const d = this.doc;
    const x = PAGE.margin + 45;
    const w = WIDTH - 55;
    const h = 240;
    const y = d.y + 5;
    const dayMax = Math.max(
      7,
      ...series.flatMap((r) => ((r.curve as { day: number }[] | null) ?? []).map((p) => p.day)),
    );
    this.frame(x, y, w, h, 'Dagen na het eerste contact', 'Deel met de stap');
    for (const day of [0, Math.round(dayMax / 4), Math.round(dayMax / 2), Math.round((3 * dayMax) / 4), dayMax])
      d.font('Helvetica')
        .fontSize(7)
        .fillColor('#000')
        .text(int(day), x + (w * day) / dayMax - 15, y + h + 3, {
          width: 30,
          align: 'center',
          lineBreak: false,
        });
    series.forEach((r, k) => {
      const curve = r.curve as { day: number; cif: number }[] | null;
      if (!curve?.length) return;
      const colour = r === a.total ? '#000' : COLOURS[k % COLOURS.length];
      curve.forEach((p, i) => {
        const px = x + (w * p.day) / dayMax;
        const py = y + h - h * p.cif;
        if (i === 0) d.moveTo(px, py);
        else d.lineTo(px, py);
      });
      d.lineWidth(1.5).strokeColor(colour);
      if (r === a.total) d.dash(3, { space: 2 });
      d.stroke().undash();
      const m = r.medianDays;
      if (typeof m === 'number' && m <= dayMax)
        d.circle(x + (w * m) / dayMax, y + h / 2, 3)
          .fillColor(colour)
          .fill();
    });
    d.y = y + h + 30;
    this.legend(
      series.map((r, k) => ({
        label: r === a.total ? 'Alle cliënten' : this.clientType(r),
        colour: r === a.total ? '#000' : COLOURS[k % COLOURS.length],
        dash: r === a.total,
      })),
    );
    this.subheading('Tabel');
    const days = [30, 60, 90, 180];
    const at = (r: TimeToStepRow, day: number) => {
      const curve = r.curve;
      if (!curve) return '–';
      const point = [...curve].reverse().find((p) => p.day <= day);
      return point ? pct(point.cif) : '–';
    };
    this.table(
      [
        {
          title: 'Soort cliënt',
          width: 120,
          value: (r) => (r === a.total ? 'Alle cliënten' : this.clientType(r)),
        },
        {
          title: 'Cliënten',
          width: 55,
          align: 'right',
          value: (r) => int(r.n),
        },
        {
          title: 'Mediaan (dagen)',
          width: 80,
          align: 'right',
          value: (r) => (r.suppressed ? this.suppressedLabel : int(r.medianDays)),
        },
        ...days.map((day) => ({
          title: `Na ${day} dagen`,
          width: (WIDTH - 255) / days.length,
          align: 'right' as const,
          value: (r: TimeToStepRow) => at(r, day),
        })),
      ],
      series,
    );
  }

  private dropout(): void {
    this.heading('5. Uitval per fase');
    const a = this.answer('dropout');
    if (!a) return this.para('Geen cijfers.');
    this.para(
      `Het deel van de cliënten dat uitviel, verdeeld naar de fase waarin ze uitvielen. "Moment van de waarheid" is het deel van de uitval direct na het eerste contact. Totaal: ${pct(a.total.share)} uitval, waarvan ${pct(a.total.momentOfTruth)} direct na het eerste contact.`,
    );
    const phases = STEP_CODES.filter((s) => s !== 'settlement_ready');
    const rows = [...a.rows].sort((x, y) => (y.share ?? -1) - (x.share ?? -1));
    const maxShare = Math.max(0.05, ...rows.map((r) => r.share ?? 0));
    this.legend(
      phases.map((p, k) => ({
        label: this.input.stepLabels[p],
        colour: COLOURS[k % COLOURS.length],
      })),
    );
    this.barRows(
      rows,
      (r) => !!r.byPhase && typeof r.n === 'number',
      (r, x0, y, chartW) => {
        const byPhase = r.byPhase as Record<string, number>;
        let x = x0;
        phases.forEach((p, k) => {
          const bw = (chartW * ((byPhase[p] ?? 0) / (r.n as number))) / maxShare;
          if (bw > 0)
            this.doc
              .rect(x, y + 1, bw, BAR_H - 3)
              .fillColor(COLOURS[k % COLOURS.length])
              .fill();
          x += bw;
        });
        this.doc.fillColor('#000').text(pct(r.share), x + 4, y + 2, {
          lineBreak: false,
        });
      },
    );
    this.subheading('Tabel');
    this.table(
      [
        {
          title: 'Gemeente',
          width: 130,
          value: (r) => (r === a.total ? 'Totaal' : this.name(r)),
        },
        {
          title: 'Cliënten',
          width: 50,
          align: 'right',
          value: (r) => int(r.n),
        },
        {
          title: 'Uitgevallen',
          width: 55,
          align: 'right',
          value: (r) => int(r.dropped),
        },
        {
          title: 'Uitval',
          width: 55,
          align: 'right',
          value: (r) => (r.suppressed ? this.suppressedLabel : pct(r.share)),
        },
        {
          title: 'Moment van de waarheid',
          width: 105,
          align: 'right',
          value: (r) => pct(r.momentOfTruth),
        },
        {
          title: '95%-interval',
          width: 100,
          align: 'right',
          value: (r) => (typeof r.ciLow === 'number' ? `${pct(r.ciLow)} – ${pct(r.ciHigh)}` : '–'),
        },
      ],
      [...rows, a.total],
    );
  }

  private experience(): void {
    this.heading('6. Ervaring van cliënten per fase');
    this.para(
      'Gemiddelde score per vraag (1 tot 5) in elke fase van het traject, voor alle cliënten samen; daarna per soort cliënt. Bij "onrust" is lager beter.',
    );
    const phases = STEP_CODES;
    const rows: Cells[] = [];
    for (const item of this.input.items) {
      const a = this.answer(`experience:${item.code}`);
      if (!a) continue;
      const byPhase = a.total.byPhase ?? [];
      const r: Cells = { label: item.text, group: 'Alle cliënten' };
      for (const p of phases) {
        const x = byPhase.find((b) => b.phase === p);
        r[p] = x ? (x.suppressed ? this.suppressedLabel : dec(x.mean)) : '–';
      }
      rows.push(r);
    }
    const cols: Column<Cells>[] = [
      { title: 'Vraag', width: 165, value: (r) => String(r['label']) },
      ...phases.map((p) => ({
        title: this.input.stepLabels[p],
        width: (WIDTH - 165) / phases.length,
        align: 'right' as const,
        value: (r: Cells) => String(r[p]),
      })),
    ];
    this.table(cols, rows);
    for (const item of this.input.items) {
      const a = this.answer(`experience:${item.code}`);
      if (!a || !a.rows.length) continue;
      this.subheading(`${item.text} (per soort cliënt)`);
      const types = [...new Set(a.rows.map((r) => r.clientType ?? ''))];
      this.table<Cells>(
        [
          {
            title: 'Soort cliënt',
            width: 165,
            value: (r) => String(r['label']),
          },
          ...phases.map((p) => ({
            title: this.input.stepLabels[p],
            width: (WIDTH - 165) / phases.length,
            align: 'right' as const,
            value: (r: Cells) => String(r[p] ?? '–'),
          })),
        ],
        types.map((t) => {
          const r: Cells = { label: t === 'unknown' ? 'onbekend' : t };
          for (const x of a.rows.filter((x) => x.clientType === t))
            r[String(x.phase)] = x.suppressed ? this.suppressedLabel : dec(x.mean);
          return r;
        }),
      );
    }
  }

  private support(): void {
    this.heading('7. Ondersteuning en resultaat');
    const s = this.answer('support');
    const a = this.answer('attainment');
    if (!s || !a) return this.para('Geen cijfers.');
    this.para(
      `Elke stip is een gemeente: het gemiddeld aantal minuten ondersteuning per cliënt in de eerste 90 dagen (alle soorten samen) tegen het aandeel ${this.attainmentTitle().toLowerCase()}.`,
    );
    const minutes = (r: SupportRow) => (r.meanMinutes ? Object.values(r.meanMinutes).reduce((x, y) => x + y, 0) : null);
    const points = s.rows
      .map((r) => ({
        r,
        m: minutes(r),
        att: a.rows.find((x) => x.municipality === r.municipality),
      }))
      .filter((p) => p.m !== null && p.att && typeof p.att.share === 'number' && p.att.suppressed !== true) as {
      r: SupportRow;
      m: number;
      att: StepAttainmentRow & { share: number };
    }[];
    const d = this.doc;
    const x = PAGE.margin + 45;
    const w = WIDTH - 55;
    const h = 260;
    const y = d.y + 5;
    const mMax = Math.max(10, ...points.map((p) => p.m));
    this.frame(x, y, w, h, 'Minuten ondersteuning per cliënt (eerste 90 dagen)', 'Aandeel');
    for (const m of [0, mMax / 2, mMax])
      d.font('Helvetica')
        .fontSize(7)
        .fillColor('#000')
        .text(int(m), x + (w * m) / mMax - 15, y + h + 3, {
          width: 30,
          align: 'center',
          lineBreak: false,
        });
    for (const p of points)
      d.circle(x + (w * p.m) / mMax, y + h - h * (p.att.share as number), 2.2)
        .fillColor(COLOURS[0])
        .fill();
    d.y = y + h + 30;
    this.subheading('Tabel');
    this.table(
      [
        {
          title: 'Gemeente',
          width: 150,
          value: (r) => (r === s.total ? 'Totaal' : this.name(r)),
        },
        {
          title: 'Cliënten',
          width: 60,
          align: 'right',
          value: (r) => int(r.n),
        },
        {
          title: 'Met administratieve hulp',
          width: 120,
          align: 'right',
          value: (r) => (r.suppressed ? this.suppressedLabel : pct(r.administrativeShare)),
        },
        {
          title: 'Minuten per cliënt',
          width: 80,
          align: 'right',
          value: (r) => dec(minutes(r)),
        },
        {
          title: 'Aandeel stap',
          width: WIDTH - 410,
          align: 'right',
          value: (r) => pct((r === s.total ? a.total : a.rows.find((x) => x.municipality === r.municipality))?.share),
        },
      ],
      [...s.rows, s.total],
    );
  }

  private trend(): void {
    this.heading('8. Ontwikkeling in de tijd');
    const t = this.answer('trendAttainment');
    const dr = this.answer('trendDropout');
    if (!t || !dr) return this.para('Geen cijfers.');
    this.para(
      `Per periode van het eerste contact: het aandeel ${this.attainmentTitle().toLowerCase()} en het aandeel uitval.`,
    );
    const periods = [...new Set([...t.rows, ...dr.rows].map((r) => String(r.period)))].sort();
    const d = this.doc;
    const x = PAGE.margin + 45;
    const w = WIDTH - 55;
    const h = 220;
    const y = d.y + 5;
    this.frame(x, y, w, h, 'Periode van het eerste contact', 'Aandeel');
    const xs = (i: number) => x + (w * (i + 0.5)) / Math.max(1, periods.length);
    const every = Math.max(1, Math.ceil(periods.length / 10));
    periods.forEach((p, i) => {
      if (i % every === 0)
        d.font('Helvetica')
          .fontSize(7)
          .fillColor('#000')
          .text(p, xs(i) - 20, y + h + 3, {
            width: 40,
            align: 'center',
            lineBreak: false,
          });
    });
    const draw = (rows: (StepAttainmentRow | DropoutRow)[], colour: string, dash: boolean) => {
      let started = false;
      periods.forEach((p, i) => {
        const r = rows.find((x) => x.period === p);
        if (!r || r.suppressed === true || typeof r.share !== 'number') {
          if (started) {
            d.lineWidth(1.5).strokeColor(colour);
            if (dash) d.dash(3, { space: 2 });
            d.stroke().undash();
          }
          started = false;
          return;
        }
        const py = y + h - h * r.share;
        if (!started) d.moveTo(xs(i), py);
        else d.lineTo(xs(i), py);
        started = true;
      });
      if (started) {
        d.lineWidth(1.5).strokeColor(colour);
        if (dash) d.dash(3, { space: 2 });
        d.stroke().undash();
      }
    };
    draw(t.rows, COLOURS[0], false);
    draw(dr.rows, COLOURS[5], true);
    d.y = y + h + 30;
    this.legend([
      { label: this.attainmentTitle(), colour: COLOURS[0] },
      { label: 'Uitval', colour: COLOURS[5], dash: true },
    ]);
    this.subheading('Tabel');
    this.table<TrendCells>(
      [
        { title: 'Periode', width: 90, value: (r) => String(r.period) },
        {
          title: 'Cliënten (stap)',
          width: 90,
          align: 'right',
          value: (r) => int(r.eligible),
        },
        {
          title: 'Aandeel stap',
          width: 100,
          align: 'right',
          value: (r) => (r.attSuppressed ? this.suppressedLabel : pct(r.share)),
        },
        {
          title: 'Cliënten (uitval)',
          width: 90,
          align: 'right',
          value: (r) => int(r.n),
        },
        {
          title: 'Uitval',
          width: WIDTH - 370,
          align: 'right',
          value: (r) => (r.dropSuppressed ? this.suppressedLabel : pct(r.dropShare)),
        },
      ],
      periods.map((p) => {
        const ta = t.rows.find((x) => x.period === p);
        const dd = dr.rows.find((x) => x.period === p);
        return {
          period: p,
          eligible: ta?.eligible,
          share: ta?.share,
          attSuppressed: ta?.suppressed === true,
          n: dd?.n,
          dropShare: dd?.share,
          dropSuppressed: dd?.suppressed === true,
        };
      }),
    );
  }

  /** 9. Waiting time from the request to the first meeting, per municipality, against the 4-week term (#26). */
  private waiting(): void {
    this.heading('9. Wachttijd tot het eerste gesprek');
    const w = this.answer('waiting');
    if (!w) return this.para('Geen cijfers.');
    this.para(
      'Per gemeente: na hoeveel dagen de helft van de aangemelde cliënten een eerste gesprek had (mediaan, met 95%-interval). Wie nog wacht, telt mee tot de peildatum. De streep is de wettelijke termijn van 4 weken (28 dagen); bij een crisis is dat 3 werkdagen.',
    );
    const rows = [...w.rows].sort((x, y) => (x.medianDays ?? 1e9) - (y.medianDays ?? 1e9));
    const maxDays = Math.max(42, ...rows.map((r) => r.medianCiHigh ?? r.medianDays ?? 0));
    this.barRows(
      rows,
      (r) => typeof r.medianDays === 'number',
      (r, x0, y, chartW) => {
        const d = this.doc;
        const at = (days: number) => x0 + chartW * Math.min(1, days / maxDays);
        d.rect(x0, y + 1, at(r.medianDays as number) - x0, BAR_H - 3)
          .fillColor(COLOURS[0])
          .fill();
        if (r.medianCiLow !== null)
          d.moveTo(at(r.medianCiLow), y + BAR_H / 2 - 0.5)
            .lineTo(at(r.medianCiHigh ?? maxDays), y + BAR_H / 2 - 0.5)
            .lineWidth(0.8)
            .strokeColor('#000')
            .stroke();
        d.fillColor('#000').text(`${int(r.medianDays)} d`, x0 + chartW + 4, y + 2, { lineBreak: false });
      },
      (top, count, x0, chartW) => {
        const x = x0 + (chartW * 28) / maxDays;
        this.doc
          .moveTo(x, top - 2)
          .lineTo(x, top + count * BAR_H)
          .lineWidth(1)
          .dash(3, { space: 2 })
          .strokeColor(COLOURS[5])
          .stroke()
          .undash();
      },
    );
    this.subheading('Tabel');
    this.table(
      [
        { title: 'Gemeente', width: 140, value: (r) => (r === w.total ? 'Totaal' : this.name(r)) },
        { title: 'Aanmeldingen', width: 70, align: 'right', value: (r) => int(r.n) },
        {
          title: 'Wachttijd (mediaan)',
          width: 95,
          align: 'right',
          value: (r) =>
            r.suppressed ? this.suppressedLabel : r.medianDays === null ? 'nog niet' : `${int(r.medianDays)} dagen`,
        },
        {
          title: 'Binnen de termijn',
          width: 90,
          align: 'right',
          value: (r) => (r.suppressed ? '' : pct(r.withinTerm)),
        },
        {
          title: 'Met crisis',
          width: WIDTH - 395,
          align: 'right',
          value: (r) => (r.suppressed ? '' : pct(r.crisisShare)),
        },
      ],
      [...rows, w.total],
    );
  }

  private definitions(): void {
    this.heading('Begrippen');
    const terms: [string, string][] = [
      ['Cliënten', columnDefinition('eligible')],
      ['Bereikt', columnDefinition('reached')],
      ['Aandeel', columnDefinition('share')],
      ['95%-interval', columnDefinition('ciLow')],
      ['Bereikt/verwacht', columnDefinition('oe')],
      ['Uitval', columnDefinition('dropped')],
      ['Moment van de waarheid', columnDefinition('momentOfTruth')],
      ['Mediaan', columnDefinition('medianDays')],
      ['Soort cliënt', columnDefinition('clientType')],
      ['Fase', columnDefinition('phase')],
      [
        // A hyphen, not U+2212: the PDF font (WinAnsi) has no minus sign and printed a quote mark instead.
        'Trechterdiagram',
        'De grenzen zijn totaal ± z × wortel(totaal × (1 - totaal) / aantal cliënten), met z = 1,96 (95%) en z = 3,09 (99,8%). Een gemeente buiten de 99,8%-grenzen verschilt duidelijk van het totaal; daarbinnen kan het verschil toeval zijn.',
      ],
    ];
    for (const [term, text] of terms) {
      this.ensure(30);
      this.doc.font('Helvetica-Bold').fontSize(10).text(term, PAGE.margin, this.doc.y, { width: WIDTH });
      this.para(text);
    }
    this.subheading('Kleine aantallen');
    this.para(smallCellNote(this.input.minCell));
  }

  private pageNumbers(): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      // Text below the bottom margin would start a new page: the footer sits in the margin.
      this.doc.page.margins.bottom = 0;
      this.doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor(GREY)
        .text(
          `Klantmonitor · ${this.input.organisation} · cijfers van ${dutchMoment(this.input.computedAt)} · pagina ${i + 1} van ${range.count}`,
          PAGE.margin,
          PAGE.height - 35,
          { width: WIDTH, align: 'center', lineBreak: false },
        );
    }
  }
}
