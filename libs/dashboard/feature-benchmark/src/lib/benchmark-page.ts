import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  Signal,
  signal,
  WritableSignal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { catchError, combineLatest, concat, filter, firstValueFrom, map, merge, of, switchMap } from 'rxjs';
import {
  BENCHMARK_DEFAULTS,
  benchmarkFilterParams,
  benchmarkRequests,
  LADDER_STEPS,
  parseBenchmarkFilters,
  showsProtected,
  type BenchmarkAnswerOf,
  type BenchmarkFilters,
  type StepCode,
  formatDate,
} from '@klantmonitor/shared/domain';
import {
  Answer,
  apiError,
  BenchmarkApi,
  BenchmarkOptions,
  type ComparisonGroupItem,
  type SavedViewItem,
} from '@klantmonitor/dashboard/data-access';
import {
  benchmarkTiles,
  ChartFrame,
  FigureTiles,
  formatPercent,
  FunnelChart,
  LineChart,
  ScatterChart,
  ShareBarsChart,
  StackedBarsChart,
} from '@klantmonitor/dashboard/ui-charts';
import { speedRows, speedSentence } from '@klantmonitor/shared/metrics';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import * as view from './benchmark-view';

/** Rows of the speed table before "Alle gemeenten tonen" (one's own municipalities always shown). */
const SPEED_ROWS = 10;

const ITEM_ORDER = ['onrust_financien', 'geloof_in_oplossing', 'geluisterd', 'goed_geholpen', 'weet_wat_te_doen'];

/** One text per question: the same endpoint and parameters give the same answer. */
const questionId = (endpoint: string, params: Record<string, string>) =>
  `${endpoint}?${new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)))}`;

/** While loading, the previous answer stays on screen (dimmed): the charts update in place instead of being rebuilt. */
type Slot =
  | { state: 'loading'; previous?: Answer }
  | { state: 'ready'; answer: Answer }
  | { state: 'error'; message: string };

/**
 * /vergelijken (docs/analytics.md): filters in the URL, tiles, eight charts with table views, downloads.
 * The questions are `benchmarkRequests` (shared/domain), the same the PDF report asks.
 */
@Component({
  selector: 'km-benchmark-page',
  imports: [
    TranslatePipe,
    ChartFrame,
    FigureTiles,
    ShareBarsChart,
    FunnelChart,
    LineChart,
    StackedBarsChart,
    ScatterChart,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './benchmark-page.html',
})
export class BenchmarkPage {
  private readonly api = inject(BenchmarkApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  protected readonly ladderSteps = LADDER_STEPS;

  protected readonly options = signal<BenchmarkOptions | null>(null);
  /** Municipalities where other organisations serve or have clients: their figures come in windows. */
  protected readonly protectedCodes = computed(() =>
    (this.options()?.municipalities ?? []).filter((m) => m.protected ?? !m.own).map((m) => m.code),
  );
  /** The caller's own municipalities by name: written on the funnel plot beside their dots (#25). */
  protected readonly ownNames = computed(() =>
    (this.options()?.municipalities ?? []).filter((m) => m.own).map((m) => m.name),
  );
  /** Other organisations' figures are on screen: a quarter, a year or the last four quarters, no free dates. */
  protected readonly protectedView = computed(() => showsProtected(this.filters(), this.protectedCodes()));
  /** The window the main chart's figures are about (as the api resolved it). */
  protected readonly shownWindow = computed(() => {
    const w = (this.ready('attainment') as (Answer & { protected?: { window: { quarters: string[] } } }) | undefined)
      ?.protected?.window;
    if (!w) return null;
    const q = w.quarters;
    return q.length === 1 ? q[0] : `${q[0]} t/m ${q[q.length - 1]}`;
  });
  protected readonly optionsError = signal<string | null>(null);
  private readonly query = toSignal(
    this.route.queryParamMap.pipe(map((m) => Object.fromEntries(m.keys.map((k) => [k, m.get(k) ?? ''])))),
    { initialValue: {} as Record<string, string> },
  );
  private readonly parsed = computed(() => parseBenchmarkFilters(this.query()));
  protected readonly filters = computed(() => this.parsed().filters);
  protected readonly urlProblems = computed(() => this.parsed().problems);
  /**
   * One signal per question, so an arriving answer recomputes only the charts that use it (with one
   * signal for all, each of the ~34 arrivals rebuilt and redrew every chart: half a second per filter change).
   */
  private readonly slots = new Map<string, WritableSignal<Slot>>();
  /** Per question key: the endpoint and parameters of the answer its slot holds. */
  private readonly asked = new Map<string, string>();
  /** The questions of the current filters (the tiles read them all). */
  private readonly keys = signal<string[]>([]);
  /** A problem with what someone typed in a filter field, shown next to that field. */
  protected readonly fieldError = signal<{
    field: string;
    message: string;
  } | null>(null);
  protected readonly barMode = signal<'share' | 'oe'>('share');
  protected readonly speedRowsShown = SPEED_ROWS;
  protected readonly item = signal('goed_geholpen');
  protected readonly municipalitySearch = signal('');
  protected readonly downloading = signal<string | null>(null);
  protected readonly downloadError = signal<string | null>(null);

  /** Comparison groups the caller may compare with ("Vergelijk met"), and the person's saved views. */
  protected readonly groups = signal<ComparisonGroupItem[]>([]);
  protected readonly platformGroups = computed(() => this.groups().filter((g) => g.scope === 'platform'));
  protected readonly ownGroups = computed(() => this.groups().filter((g) => g.scope === 'organisation'));
  protected readonly views = signal<SavedViewItem[]>([]);
  protected readonly viewName = signal('');
  protected readonly viewMessage = signal<{ kind: 'error' | 'done'; text: string } | null>(null);

  constructor() {
    this.api
      .groups()
      .pipe(takeUntilDestroyed())
      .subscribe({ next: (g) => this.groups.set(g), error: () => this.groups.set([]) });
    this.loadViews();
    this.api
      .options()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (o) => this.options.set(o),
        error: (e) => this.optionsError.set(this.errorText(e)),
      });
    // Every filter change (URL) asks all questions again; a newer change cancels the older requests.
    combineLatest([
      toObservable(this.filters),
      toObservable(this.options).pipe(filter((o): o is BenchmarkOptions => o !== null)),
    ])
      .pipe(
        switchMap(([f, o]) => {
          const requests = benchmarkRequests(
            f,
            o.municipalities.filter((m) => m.own).map((m) => m.code),
            ITEM_ORDER.filter((i) => o.items.includes(i)),
            this.protectedCodes(),
          );
          this.keys.set(requests.map((r) => r.key));
          // Only the questions this change altered are asked again: a step change leaves the
          // ladder, dropout, experience and most tiles as they are (5 requests instead of 34, and
          // no redraw of the charts that would get the same figures).
          const changed = requests.filter(
            (r) =>
              this.slotSignal(r.key)().state !== 'ready' || this.asked.get(r.key) !== questionId(r.endpoint, r.params),
          );
          for (const r of changed)
            this.slotSignal(r.key).update((prev) => ({
              state: 'loading',
              previous: prev.state === 'ready' ? prev.answer : prev.state === 'loading' ? prev.previous : undefined,
            }));
          const ask = (r: (typeof changed)[number]) =>
            this.api.answer(r.endpoint, r.params).pipe(
              map((answer) => {
                this.asked.set(r.key, questionId(r.endpoint, r.params));
                return [r.key, { state: 'ready', answer }] as const;
              }),
              catchError((e) => of([r.key, { state: 'error', message: this.errorText(e) }] as const)),
            );
          // The first chart's question goes alone, the rest when it is answered: questions the api
          // computes on request (the "own" tiles) would otherwise hold its one thread while the
          // first chart's ready answer waits behind them (4.3 s on a first visit at national scale).
          const [first, ...rest] = changed;
          return first ? concat(ask(first), merge(...rest.map(ask))) : merge(...rest.map(ask));
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(([key, slot]) => this.slotSignal(key).set(slot as Slot));
  }

  // ---------- answers ----------

  private slotSignal(key: string): WritableSignal<Slot> {
    let s = this.slots.get(key);
    if (!s) {
      s = signal<Slot>({ state: 'loading' });
      this.slots.set(key, s);
    }
    return s;
  }
  /**
   * The answer shown for a question: a computed per key, so going to "loading" with the previous
   * answer kept changes nothing downstream (a computed that returns the same object does not wake
   * its readers): the charts are redrawn once, when their new answer arrives.
   */
  private readonly answers = new Map<string, Signal<Answer | undefined>>();
  /** The answer of a question, typed by its key (BenchmarkAnswerOf: step attainment, dropout, ...). */
  private ready<K extends string>(key: K): BenchmarkAnswerOf<K> | undefined {
    return this.readyAny(key) as BenchmarkAnswerOf<K> | undefined;
  }
  private readyAny(key: string): Answer | undefined {
    let a = this.answers.get(key);
    if (!a) {
      const slot = this.slotSignal(key);
      a = computed(() => {
        const s = slot();
        return s.state === 'ready' ? s.answer : s.state === 'loading' ? s.previous : undefined;
      });
      this.answers.set(key, a);
    }
    return a();
  }
  /** Some answer of the current filters is still on its way (what is shown may be the previous one). */
  protected readonly busy = computed(() => this.keys().some((k) => this.slotSignal(k)().state === 'loading'));
  /** The national share the bars are compared with. */
  protected readonly reference = computed(
    () => (this.ready('attainment')?.total['share'] as number | null | undefined) ?? null,
  );
  protected slot(key: string): Slot {
    return this.slotSignal(key)();
  }
  protected readonly names = computed(
    () => new Map((this.options()?.municipalities ?? []).map((m) => [m.code, m.name])),
  );
  /**
   * Texts for the views; `clientTypeName.<code>` is the organisation's own name of a client type
   * (the options say), so a type has one name on every page (#25).
   */
  private readonly tr: view.Translate = (key, params) => {
    if (key.startsWith(view.CLIENT_TYPE_NAME)) {
      const name = this.options()?.clientTypeNames?.[key.slice(view.CLIENT_TYPE_NAME.length)];
      return name ?? key;
    }
    return this.translate.instant(key, params);
  };
  /** A client type as the views name it (the filter's boxes too). */
  protected typeName(code: string): string {
    return view.clientTypeLabel(code, this.tr);
  }
  protected stepLabel = (s: StepCode) => this.translate.instant(`steps.${s}`);
  protected readonly computedAt = computed(() => {
    const at = this.ready('attainment')?.computedAt;
    return at ? `${formatDate(at, 'sentence')} ${formatDate(at, 'time')}` : null;
  });
  /**
   * The step text of the figures on screen, from the answer's own resolved query: while new answers
   * are on their way, a chart keeps the labels of the figures it shows and is redrawn once, with both.
   */
  private answerStepText(a: { query: Record<string, unknown> } | undefined): string {
    const q = a?.query ?? {};
    return typeof q['step'] === 'string' && typeof q['withinDays'] === 'number'
      ? this.tr('benchmark.stepWithin', {
          step: this.stepLabel(q['step'] as StepCode),
          n: q['withinDays'],
        })
      : this.stepText();
  }
  protected readonly shownStepText = computed(() => this.answerStepText(this.ready('attainment')));
  protected readonly stepText = computed(() =>
    this.tr('benchmark.stepWithin', {
      step: this.stepLabel(this.filters().step),
      n: this.filters().withinDays,
    }),
  );
  protected readonly noData = computed(() => {
    const a = this.ready('attainment');
    return !!a && a.total['eligible'] === 0;
  });
  protected readonly tiles = computed(() =>
    benchmarkTiles(
      Object.fromEntries(this.keys().map((k) => [k, this.readyAny(k)])),
      this.filters().withinDays,
      this.tr,
    ),
  );
  protected readonly bars = computed(() => {
    const a = this.ready('attainment');
    return a ? view.municipalityBars(a, this.names(), this.barMode(), this.tr) : null;
  });
  protected readonly funnel = computed(() => {
    const a = this.ready('attainment');
    return a ? view.funnel(a, this.names(), this.tr) : null;
  });
  protected readonly funnelLabels = computed(() => ({
    title: this.tr('benchmark.funnelTitle'),
    reference: this.tr('benchmark.funnelReference'),
    limits95: this.tr('benchmark.limits95'),
    limits998: this.tr('benchmark.limits998'),
    higher: this.tr('benchmark.verdict.higher'),
    lower: this.tr('benchmark.verdict.lower'),
    within: this.tr('benchmark.verdict.within'),
    xAxis: this.tr('benchmark.colEligible'),
    yAxis: this.tr('benchmark.colShare'),
  }));
  protected readonly ladder = computed(() =>
    view.ladder(
      Object.fromEntries(LADDER_STEPS.map((s) => [`ladder:${s}`, this.ready(`ladder:${s}`)])),
      this.stepLabel,
      this.tr,
    ),
  );
  protected readonly time = computed(() => {
    const byMunicipality = this.filters().timeBy === 'municipality';
    const a = this.ready(byMunicipality ? 'speed' : 'time');
    return a ? view.timeCurves(a, this.tr, this.names()) : null;
  });
  /** Speed per municipality: median with interval, and the share within N days with interval. */
  private readonly speedRows = computed(() => {
    const s = this.ready('speed');
    return s ? speedRows(s, this.ready('attainment'), this.names()) : null;
  });
  /** The speed table shows the ten fastest and one's own municipalities until "all" is asked for. */
  protected readonly speedAll = signal(false);
  protected readonly speedCount = computed(() => this.speedRows()?.length ?? 0);
  protected readonly speedTable = computed(() => {
    const rows = this.speedRows();
    if (!rows) return null;
    const own = new Set((this.options()?.municipalities ?? []).filter((m) => m.own).map((m) => m.code));
    const shown = this.speedAll() ? rows : rows.filter((r, i) => i < SPEED_ROWS || own.has(r.municipality));
    // The comparison group's median as the last row.
    const ref = this.ready('speed')?.reference;
    const group = ref
      ? speedRows(
          { rows: [{ ...ref.total, municipality: this.tr('benchmark.groupRow', { name: ref.group.name }) }] },
          undefined,
          new Map(),
        )
      : [];
    return view.speedTable([...shown, ...group], this.filters().withinDays, this.tr);
  });
  /** Under a downloaded chart image: the filters in words and the date of the figures. */
  protected readonly imageNote = computed(() => {
    const f = this.filters();
    const parts = [this.shownStepText()];
    const window = this.shownWindow();
    if (window) parts.push(this.tr('benchmark.windowNamed', { window }));
    parts.push(
      f.clientTypes.length
        ? this.tr('benchmark.typesNamed', { list: f.clientTypes.map((t) => this.typeName(t)).join(', ') })
        : this.tr('benchmark.allTypes'),
    );
    parts.push(
      f.municipalities.length
        ? this.tr('benchmark.municipalitiesNamed', {
            list: f.municipalities.map((m) => this.municipalityName(m)).join(', '),
          })
        : this.tr('benchmark.allMunicipalities').toLowerCase(),
    );
    return this.tr('benchmark.imageNote', { filters: parts.join('; '), at: this.computedAt() ?? '–' });
  });
  /** The comparison group's line on the bars, and its sentence. */
  protected readonly groupNote = computed(() => view.groupNote(this.ready('attainment'), this.tr));
  /** The page's question answered in one sentence for the current filters. */
  protected readonly summary = computed(() => {
    const rows = this.speedRows();
    if (!rows) return null;
    const verdicts = new Map((this.funnel()?.points ?? []).map((p) => [p.municipality, p.verdict]));
    const f = this.filters();
    return speedSentence(
      rows,
      verdicts,
      {
        step: this.stepLabel(f.step),
        clientTypes: f.clientTypes.map((t) => this.typeName(t)),
        withinDays: f.withinDays,
      },
      this.tr,
    );
  });
  protected readonly dropout = computed(() => {
    const a = this.ready('dropout');
    return a ? view.dropoutByPhase(a, this.names(), this.stepLabel, this.tr) : null;
  });
  protected readonly dropoutCaption = computed(() => {
    const t = this.ready('dropout')?.total;
    return t
      ? this.tr('benchmark.momentOfTruth', {
          share: formatPercent(t['share'] as number | null),
          truth: formatPercent(t['momentOfTruth'] as number | null),
        })
      : null;
  });
  protected readonly experience = computed(() => {
    const a = this.ready(`experience:${this.item()}`);
    return a ? view.experience(a, this.stepLabel, this.tr) : null;
  });
  protected readonly waiting = computed(() => {
    const a = this.ready('waiting');
    return a ? view.waitingBars(a, this.names(), this.tr) : null;
  });
  protected readonly termDays = view.TERM_DAYS;
  protected readonly support = computed(() => {
    const s = this.ready('support');
    const a = this.ready('attainment');
    return s && a ? view.supportVsResults(s, a, this.names(), this.tr) : null;
  });
  protected readonly trend = computed(() => {
    const a = this.ready('trendAttainment');
    const d = this.ready('trendDropout');
    return a && d ? view.trend(a, d, this.tr, this.answerStepText(a)) : null;
  });
  protected readonly items = computed(() => ITEM_ORDER.filter((i) => this.options()?.items.includes(i)));
  protected readonly visibleMunicipalities = computed(() => {
    const q = this.municipalitySearch().trim().toLowerCase();
    const all = this.options()?.municipalities ?? [];
    return q ? all.filter((m) => m.name.toLowerCase().includes(q) || m.code.toLowerCase().includes(q)) : all;
  });
  protected municipalityName(code: string): string {
    return this.names().get(code) ?? code;
  }

  // ---------- filters: every change goes through the URL ----------

  protected set(change: Partial<BenchmarkFilters>): void {
    this.fieldError.set(null);
    const next = { ...this.filters(), ...change };
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: benchmarkFilterParams(next),
    });
  }

  protected setDate(field: 'cohortFrom' | 'cohortTo' | 'asOf', value: string): void {
    const f = this.filters();
    const next = { ...f, [field]: value || null };
    if (next.cohortFrom && next.cohortTo && next.cohortFrom > next.cohortTo) {
      this.fieldError.set({
        field: 'cohortFrom',
        message: this.tr('benchmark.errors.cohortOrder'),
      });
      return;
    }
    this.set({ [field]: value || null });
  }

  protected setWithinDays(value: string): void {
    if (!/^\d{1,4}$/.test(value) || Number(value) > 3650) {
      this.fieldError.set({
        field: 'withinDays',
        message: this.tr('benchmark.errors.withinDays'),
      });
      return;
    }
    this.set({ withinDays: Number(value) });
  }

  protected toggleMunicipality(code: string, on: boolean): void {
    const current = this.filters().municipalities;
    this.set({
      municipalities: on ? [...current, code] : current.filter((c) => c !== code),
    });
  }

  protected toggleClientType(code: string, on: boolean): void {
    const current = this.filters().clientTypes;
    this.set({
      clientTypes: on ? [...current, code] : current.filter((c) => c !== code),
    });
  }

  protected reset(): void {
    this.set({ ...BENCHMARK_DEFAULTS });
  }

  /** The skip link: focus on the figures (summary, tiles, charts), past the filters. */
  protected skipToFigures(): void {
    document.getElementById('cijfers')?.focus();
  }

  // ---------- saved views ----------

  private loadViews(): void {
    this.api.views().subscribe({ next: (v) => this.views.set(v), error: () => this.views.set([]) });
  }

  /** The URL query of the current view (what reopens it). */
  private currentQuery(): string {
    return new URLSearchParams(benchmarkFilterParams(this.filters())).toString();
  }

  protected saveView(): void {
    const name = this.viewName();
    this.viewMessage.set(null);
    if (!name.trim() || name.length > 100) {
      this.viewMessage.set({ kind: 'error', text: this.tr('benchmark.views.errors.name') });
      return;
    }
    this.api.saveView(name, this.currentQuery()).subscribe({
      next: (v) => {
        this.viewName.set('');
        this.viewMessage.set({ kind: 'done', text: this.tr('benchmark.views.saved', { name: v.name }) });
        this.loadViews();
      },
      error: (e) => {
        const err = apiError(e);
        const key =
          err.statusCode === 409
            ? 'taken'
            : err.code === 'too_many_views'
              ? 'tooMany'
              : err.statusCode === 400 && err.details?.[0]?.field === 'name'
                ? 'name'
                : 'failed';
        this.viewMessage.set({ kind: 'error', text: this.tr(`benchmark.views.errors.${key}`) });
      },
    });
  }

  protected openView(v: SavedViewItem): void {
    void this.router.navigateByUrl(`/vergelijken${v.query ? `?${v.query}` : ''}`);
  }

  /** Removing a saved view asks first (an in-page dialog). */
  protected async askRemoveView(v: SavedViewItem): Promise<void> {
    const ok = await this.confirm.action('savedViewRemove', this.tr('benchmark.views.confirm', { name: v.name }), {
      danger: true,
    });
    if (ok) this.removeView(v);
  }

  private removeView(v: SavedViewItem): void {
    this.api.removeView(v.id).subscribe({
      next: () => this.loadViews(),
      error: () => this.viewMessage.set({ kind: 'error', text: this.tr('benchmark.views.errors.failed') }),
    });
  }

  // ---------- downloads ----------

  protected async download(kind: 'csv' | 'xlsx' | 'pdf'): Promise<void> {
    this.downloadError.set(null);
    this.downloading.set(kind);
    const main = benchmarkRequests(this.filters(), [], [], this.protectedCodes())[0];
    const filterParams = benchmarkFilterParams(this.filters());
    try {
      const blob = await firstValueFrom(
        kind === 'csv'
          ? this.api.download(main.endpoint, { ...main.params, format: kind })
          : this.api.download('report', { ...filterParams, format: kind }),
      );
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = kind === 'pdf' ? 'klantmonitor-rapport.pdf' : `klantmonitor-vergelijking.${kind}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.downloadError.set(this.errorText(e));
    } finally {
      this.downloading.set(null);
    }
  }

  protected print(): void {
    window.print();
  }

  /** Server errors in the page's language, by status and field (never the server's English). */
  private errorText(e: unknown): string {
    const err = apiError(e);
    const field = err.details?.[0]?.field;
    // A chosen quarter or year too recent for "within N days" (protected figures need whole windows).
    if (err.statusCode === 400 && field === 'withinDays' && this.protectedView())
      return this.tr('benchmark.errors.windowTooRecent', { n: this.filters().withinDays });
    if (err.statusCode === 400 && field)
      return this.tr('benchmark.errors.badFilter', {
        field: this.tr(`benchmark.filterNames.${field}`),
      });
    if (err.statusCode === 403) return this.tr('benchmark.errors.forbidden');
    if (err.statusCode === 0 || err.statusCode === 503 || err.statusCode === 502)
      return this.tr('benchmark.errors.unreachable');
    return this.tr('benchmark.errors.failed');
  }
}
