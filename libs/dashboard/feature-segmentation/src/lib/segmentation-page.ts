import { ChangeDetectionStrategy, Component, computed, inject, OnDestroy, signal } from '@angular/core';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { DEFAULT_INTAKE_ITEMS, STEP_CODES, type StepCode, formatDate } from '@klantmonitor/shared/domain';
import {
  apiError,
  AuthStore,
  SegmentationApi,
  type SegmentProfile,
  type ProfileRow,
  type SegmentationRun,
  type SegmentOutcome,
  type Transitions,
} from '@klantmonitor/dashboard/data-access';
import {
  ChartFrame,
  formatDecimal,
  formatInt,
  formatPercent,
  LineChart,
  type ChartTable,
} from '@klantmonitor/dashboard/ui-charts';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';

const STATEMENT = new Map(DEFAULT_INTAKE_ITEMS.map((i) => [i.code, i.nl]));
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * /segmentatie (docs/analytics.md "Segmentation screens"), organisation admins: start an analysis of the
 * intake answers (with progress), compare the scenarios (within-group spread and silhouette against
 * k, with a suggestion), read the profile table like the study's (▲ / ▼ against the rest), name the
 * groups and use them, see their outcomes and how client types change over a year.
 */
@Component({
  selector: 'km-segmentation-page',
  imports: [TranslatePipe, ChartFrame, LineChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .flag-high {
      color: #05612f;
      font-weight: 600;
    }
    .flag-low {
      color: #8a1c1c;
      font-weight: 600;
    }
    .heat td {
      text-align: right;
    }
    .names input {
      max-width: 20rem;
    }
  `,
  template: `
    <h1>{{ 'segmentation.title' | translate }}</h1>
    <p class="lead">{{ 'segmentation.intro' | translate }}</p>

    @if (canManage()) {
      <section class="card" aria-labelledby="seg-new">
        <h2 id="seg-new">{{ 'segmentation.newTitle' | translate }}</h2>
        <form (submit)="$event.preventDefault(); start()" novalidate>
          <div class="button-row">
            <label
              >{{ 'segmentation.kMin' | translate }}
              <input type="number" min="2" max="12" [value]="kMin()" (input)="kMin.set(+$any($event.target).value)"
            /></label>
            <label
              >{{ 'segmentation.kMax' | translate }}
              <input type="number" min="2" max="12" [value]="kMax()" (input)="kMax.set(+$any($event.target).value)"
            /></label>
            <label
              >{{ 'segmentation.restarts' | translate }}
              <input
                type="number"
                min="1"
                max="50"
                [value]="restarts()"
                (input)="restarts.set(+$any($event.target).value)"
            /></label>
            <label
              >{{ 'segmentation.seed' | translate }}
              <input type="number" min="0" [value]="seed()" (input)="seed.set(+$any($event.target).value)"
            /></label>
            <label
              >{{ 'segmentation.answeredFrom' | translate }}
              <input type="date" [value]="answeredFrom()" (input)="answeredFrom.set($any($event.target).value)"
            /></label>
            <label
              >{{ 'segmentation.answeredTo' | translate }}
              <input type="date" [value]="answeredTo()" (input)="answeredTo.set($any($event.target).value)"
            /></label>
          </div>
          <details class="items">
            <summary>
              {{ 'segmentation.items' | translate: { n: chosen().size, total: allItems.length } }}
            </summary>
            @for (item of allItems; track item.code) {
              <label class="check">
                <input type="checkbox" [checked]="chosen().has(item.code)" (change)="toggleItem(item.code)" />
                {{ item.nl }}
              </label>
            }
          </details>
          <button type="submit" class="primary" [disabled]="running()">
            {{ 'segmentation.start' | translate }}
          </button>
        </form>
        @if (running(); as r) {
          <label for="seg-progress">{{ 'segmentation.progress' | translate }}</label>
          <progress id="seg-progress" max="100" [value]="r.progress * 100" data-testid="seg-progress">
            {{ r.progress * 100 }}%
          </progress>
          <button type="button" (click)="cancel()" data-testid="seg-cancel">
            {{ 'segmentation.cancel' | translate }}
          </button>
        }
        @if (error()) {
          <p class="error" role="alert" data-testid="seg-error">
            {{ error()! | translate: errorParams() }}
          </p>
        }
      </section>
    } @else {
      <p class="notice" data-testid="seg-read-only">{{ 'segmentation.readOnly' | translate }}</p>
    }

    @if (runs().length) {
      <section class="card" aria-labelledby="seg-runs">
        <h2 id="seg-runs">{{ 'segmentation.runsTitle' | translate }}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="seg-runs">
          <table data-testid="seg-runs">
            <thead>
              <tr>
                <th scope="col">{{ 'segmentation.runStarted' | translate }}</th>
                <th scope="col">{{ 'segmentation.runState' | translate }}</th>
                <th scope="col">{{ 'segmentation.runClients' | translate }}</th>
                <th scope="col">{{ 'segmentation.k' | translate }}</th>
                <th scope="col">
                  <span class="visually-hidden">{{ 'segmentation.view' | translate }}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              @for (row of runRows(); track row.run.id) {
                @let r = row.run;
                <tr [class.current]="r.id === run()?.id">
                  <td>{{ fmtDateTime(r.createdAt) }}</td>
                  <td>
                    {{ 'segmentation.state.' + r.state | translate }}
                    @if (r.activeK) {
                      ·
                      <span class="tag">{{ 'segmentation.inUse' | translate: { k: r.activeK } }}</span>
                    }
                    @if (row.repeats > 1) {
                      ·
                      <span data-testid="seg-repeats">{{
                        'segmentation.repeats' | translate: { n: row.repeats }
                      }}</span>
                    }
                  </td>
                  <td>{{ r.n === null ? '–' : fmtInt(r.n) }}</td>
                  <td>{{ r.params?.kMin }}–{{ r.params?.kMax }}</td>
                  <td>
                    @if (r.state === 'completed' && r.id !== run()?.id) {
                      <button type="button" class="link" (click)="open(r.id)">
                        {{ 'segmentation.view' | translate }}
                      </button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </section>
    }

    @if (run(); as run) {
      <section class="card" aria-labelledby="seg-scenarios">
        <h2 id="seg-scenarios">
          {{ 'segmentation.scenariosTitle' | translate }}
        </h2>
        <p data-testid="seg-n">
          {{ 'segmentation.n' | translate: { n: fmtInt(run.n), excluded: fmtInt(run.excluded) } }}
        </p>
        @if (suggested(); as k) {
          <p class="notice" data-testid="seg-suggestion">
            {{ 'segmentation.suggestion' | translate: { k: k } }}
          </p>
        }
        <km-chart-frame [title]="'segmentation.spreadChart' | translate" testId="seg-spread" [table]="scenarioTable()">
          <km-line-chart
            [labels]="kLabels()"
            [series]="spreadSeries()"
            [label]="'segmentation.spreadChart' | translate"
            format="decimal"
            [xTitle]="'segmentation.k' | translate"
            [height]="240"
          />
        </km-chart-frame>
        <km-chart-frame
          [title]="'segmentation.silhouetteChart' | translate"
          testId="seg-silhouette"
          [table]="scenarioTable()"
        >
          <km-line-chart
            [labels]="kLabels()"
            [series]="silhouetteSeries()"
            [label]="'segmentation.silhouetteChart' | translate"
            format="decimal"
            [xTitle]="'segmentation.k' | translate"
            [height]="240"
          />
        </km-chart-frame>
        <label for="seg-k">{{ 'segmentation.chooseK' | translate }}</label>
        <select id="seg-k" [value]="k()" (change)="chooseK(+$any($event.target).value)">
          @for (s of run.scenarios ?? []; track s.k) {
            <option [value]="s.k" [selected]="s.k === k()">{{ s.k }}</option>
          }
        </select>
      </section>

      @if (profile(); as p) {
        <section class="card" aria-labelledby="seg-profile">
          <h2 id="seg-profile">
            {{ 'segmentation.profileTitle' | translate }}
          </h2>
          <p class="muted">{{ 'segmentation.profileIntro' | translate }}</p>
          <div class="table-wrap" tabindex="0" role="region" aria-labelledby="seg-profile">
            <table data-testid="seg-profile-table">
              <thead>
                <tr>
                  <th scope="col">
                    {{ 'segmentation.statement' | translate }}
                  </th>
                  @for (size of p.sizes; track $index) {
                    <th scope="col">
                      {{ groupName($index) ?? ('segmentation.group' | translate: { n: $index + 1 }) }}
                      ({{ fmtPct(size / total(p.sizes)) }})
                    </th>
                  }
                </tr>
              </thead>
              <tbody>
                @for (item of profileItems(); track item) {
                  <tr>
                    <th scope="row">{{ statement(item) }}</th>
                    @for (size of p.sizes; track $index) {
                      @if (cell(item, $index); as c) {
                        <td [class.flag-high]="c.flag === 'high'" [class.flag-low]="c.flag === 'low'">
                          {{ fmtPct(c.agreeShare) }}
                          @if (c.flag === 'high') {
                            <span aria-hidden="true">▲</span
                            ><span class="visually-hidden">{{ 'segmentation.higher' | translate }}</span>
                          }
                          @if (c.flag === 'low') {
                            <span aria-hidden="true">▼</span
                            ><span class="visually-hidden">{{ 'segmentation.lower' | translate }}</span>
                          }
                        </td>
                      }
                    }
                  </tr>
                }
              </tbody>
            </table>
          </div>
          @if (p.suppressedSegments?.length) {
            <p class="muted" data-testid="seg-suppressed">{{ 'segmentation.smallGroups' | translate }}</p>
          }
          @if (canManage()) {
            <form class="names" (submit)="$event.preventDefault(); activate()" novalidate>
              <h3>{{ 'segmentation.namesTitle' | translate }}</h3>
              @if (run.activeK === k()) {
                <p class="notice" data-testid="seg-in-use">
                  {{ 'segmentation.inUseNow' | translate }}
                </p>
              }
              @for (size of p.sizes; track $index) {
                <label [for]="'seg-name-' + $index">{{ 'segmentation.nameOf' | translate: { n: $index + 1 } }}</label>
                <input
                  [id]="'seg-name-' + $index"
                  [value]="names()[$index] ?? ''"
                  (input)="setName($index, $any($event.target).value)"
                  maxlength="60"
                />
                <label [for]="'seg-description-' + $index">{{
                  'segmentation.descriptionOf' | translate: { n: $index + 1 }
                }}</label>
                <input
                  [id]="'seg-description-' + $index"
                  [value]="descriptions()[$index] ?? ''"
                  (input)="setDescription($index, $any($event.target).value)"
                  maxlength="500"
                />
              }
              <button type="submit" class="primary" [disabled]="busy()">
                {{ 'segmentation.use' | translate }}
              </button>
              @if (notice()) {
                <p class="notice" role="status" data-testid="seg-notice">
                  {{ notice()! | translate: noticeParams() }}
                </p>
              }
            </form>
          }
        </section>
      }

      @if (outcomes(); as o) {
        <section class="card" aria-labelledby="seg-outcomes">
          <h2 id="seg-outcomes">
            {{ 'segmentation.outcomesTitle' | translate }}
          </h2>
          <div class="button-row">
            <div>
              <label for="seg-outcome-step">{{ 'segmentation.outcomeStep' | translate }}</label>
              <select
                id="seg-outcome-step"
                [value]="outcomeStep()"
                (change)="setOutcomeStep($any($event.target).value)"
              >
                @for (st of steps; track st) {
                  <option [value]="st" [selected]="st === outcomeStep()">
                    {{ 'steps.' + st | translate }}
                  </option>
                }
              </select>
            </div>
            <div>
              <label for="seg-outcome-days">{{ 'segmentation.outcomeDays' | translate }}</label>
              <input
                id="seg-outcome-days"
                type="number"
                min="1"
                max="3650"
                [value]="withinDays()"
                (change)="setWithinDays(+$any($event.target).value)"
              />
            </div>
          </div>
          <div class="table-wrap" tabindex="0" role="region" aria-labelledby="seg-outcomes">
            <table data-testid="seg-outcomes-table">
              <thead>
                <tr>
                  <th scope="col">{{ 'segmentation.groupCol' | translate }}</th>
                  <th scope="col">
                    {{
                      'segmentation.reached'
                        | translate
                          : {
                              step: ('steps.' + outcomeStep() | translate),
                              days: fmtInt(withinDays()),
                            }
                    }}
                  </th>
                  <th scope="col">{{ 'segmentation.dropout' | translate }}</th>
                  <th scope="col">
                    {{ 'segmentation.median' | translate: { step: ('steps.' + outcomeStep() | translate) } }}
                  </th>
                </tr>
              </thead>
              <tbody>
                @for (r of o; track r.segment) {
                  <tr>
                    <th scope="row">
                      {{ names()[r.segment] || ('segmentation.group' | translate: { n: r.segment + 1 }) }}
                    </th>
                    <td>
                      {{ fmtPct(r.share) }} ({{ fmtInt(r.reached) }} / {{ fmtInt(r.eligible) }})
                      <span class="muted small">{{ pctInterval(r.ciLow, r.ciHigh) }}</span>
                    </td>
                    <td>
                      {{ fmtPct(r.dropoutShare) }}
                      <span class="muted small">{{ pctInterval(r.dropoutCiLow, r.dropoutCiHigh) }}</span>
                    </td>
                    <td>
                      {{ r.medianDays === null ? '–' : fmtInt(r.medianDays) }}
                      @if (r.medianDays !== null && r.medianCiLow !== null && r.medianCiLow !== undefined) {
                        <span class="muted small">{{ daysInterval(r.medianCiLow, r.medianCiHigh) }}</span>
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        </section>
      }
    }

    @if (transitions(); as t) {
      <section class="card" aria-labelledby="seg-transitions">
        <h2 id="seg-transitions">
          {{ 'segmentation.transitionsTitle' | translate }}
        </h2>
        <p class="muted">{{ 'segmentation.transitionsIntro' | translate }}</p>
        @if (t.types.length === 0) {
          <p data-testid="seg-transitions-empty">
            {{ 'segmentation.transitionsNone' | translate }}
          </p>
        } @else {
          <div class="table-wrap" tabindex="0" role="region" aria-labelledby="seg-transitions">
            <table class="heat" data-testid="seg-transitions-table">
              <thead>
                <tr>
                  <th scope="col">{{ 'segmentation.yearAgo' | translate }}</th>
                  @for (n of t.names; track $index) {
                    <th scope="col">{{ n }}</th>
                  }
                </tr>
              </thead>
              <tbody>
                @for (row of t.shares; track $index; let i = $index) {
                  <tr>
                    <th scope="row">{{ t.names[i] }}</th>
                    @for (v of row; track $index) {
                      <td [style.background]="heat(v)">{{ fmtPct(v) }}</td>
                    }
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      </section>
    }
  `,
})
export class SegmentationPage implements OnDestroy {
  private readonly api = inject(SegmentationApi);
  private readonly auth = inject(AuthStore);
  /** Starting, stopping and naming are the organisation admin's; a policy advisor reads (#24). */
  protected readonly canManage = computed(() => this.auth.role() === 'org_admin');
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  protected readonly kMin = signal(2);
  protected readonly kMax = signal(8);
  protected readonly restarts = signal(10);
  protected readonly seed = signal(42);
  protected readonly answeredFrom = signal('');
  protected readonly answeredTo = signal('');
  protected readonly allItems = DEFAULT_INTAKE_ITEMS;
  protected readonly chosen = signal(new Set(DEFAULT_INTAKE_ITEMS.map((i) => i.code)));
  protected readonly runs = signal<SegmentationRun[]>([]);
  protected readonly descriptions = signal<string[]>([]);
  protected readonly steps = STEP_CODES.filter((s) => s !== 'first_contact');
  protected readonly outcomeStep = signal<StepCode>('iu_in_balance');
  protected readonly withinDays = signal(90);
  protected readonly running = signal<SegmentationRun | null>(null);
  protected readonly run = signal<SegmentationRun | null>(null);
  protected readonly k = signal(3);
  protected readonly profile = signal<SegmentProfile | null>(null);
  protected readonly outcomes = signal<SegmentOutcome[] | null>(null);
  protected readonly transitions = signal<Transitions | null>(null);
  protected readonly names = signal<string[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly errorParams = signal<Record<string, unknown>>({});
  protected readonly notice = signal<string | null>(null);
  protected readonly noticeParams = signal<Record<string, unknown>>({});
  protected readonly busy = signal(false);
  private timer: ReturnType<typeof setTimeout> | null = null;

  protected readonly fmtInt = formatInt;
  protected readonly fmtPct = formatPercent;
  /** "95%: 51,1% – 78,1%" under a share, or nothing without an interval. */
  protected pctInterval(low: number | null | undefined, high: number | null | undefined): string {
    return low == null || high == null
      ? ''
      : this.translate.instant('segmentation.interval', { low: formatPercent(low), high: formatPercent(high) });
  }
  /** "95%: 25 – 41 dagen", the upper end beyond the followed period in words. */
  protected daysInterval(low: number, high: number | null | undefined): string {
    return this.translate.instant('segmentation.interval', {
      low: formatInt(low),
      high:
        high == null
          ? this.translate.instant('benchmark.beyondFollowed')
          : this.translate.instant('benchmark.days', { n: formatInt(high) }),
    });
  }
  protected readonly fmtDec = formatDecimal;

  protected readonly kLabels = computed(() => (this.run()?.scenarios ?? []).map((s) => String(s.k)));
  protected readonly spreadSeries = computed(() => [
    {
      label: this.translate.instant('segmentation.spread') as string,
      values: (this.run()?.scenarios ?? []).map((s) => s.withinSS),
    },
  ]);
  protected readonly silhouetteSeries = computed(() => [
    {
      label: this.translate.instant('segmentation.silhouette') as string,
      values: (this.run()?.scenarios ?? []).map((s) => s.silhouette),
    },
  ]);
  protected readonly scenarioTable = computed<ChartTable>(() => ({
    columns: [
      'k',
      this.translate.instant('segmentation.sizes'),
      this.translate.instant('segmentation.spread'),
      this.translate.instant('segmentation.silhouette'),
    ],
    rows: (this.run()?.scenarios ?? []).map((s) => [
      String(s.k),
      s.sizes.map(formatInt).join(' / '),
      formatDecimal(s.withinSS),
      formatDecimal(s.silhouette),
    ]),
  }));
  /** The scenario with the highest silhouette: a suggestion, the choice stays the admin's. */
  protected readonly suggested = computed(() => {
    const s = this.run()?.scenarios ?? [];
    return s.length ? s.reduce((a, b) => ((b.silhouette ?? -1) > (a.silhouette ?? -1) ? b : a)).k : null;
  });
  protected readonly profileItems = computed(() => [...new Set((this.profile()?.rows ?? []).map((r) => r.item))]);

  constructor() {
    void this.loadLatest();
    void this.loadTransitions();
  }

  protected total(sizes: number[]): number {
    return sizes.reduce((a, b) => a + b, 0);
  }
  protected statement(item: string): string {
    return STATEMENT.get(item) ?? item;
  }
  protected cell(item: string, segment: number): ProfileRow | undefined {
    return this.profile()?.rows.find((r) => r.item === item && r.segment === segment);
  }
  protected setName(i: number, value: string): void {
    this.names.update((n) => Object.assign([...n], { [i]: value }));
  }
  protected setDescription(i: number, value: string): void {
    this.descriptions.update((n) => Object.assign([...n], { [i]: value }));
  }
  protected toggleItem(code: string): void {
    this.chosen.update((c) => {
      const next = new Set(c);
      if (!next.delete(code)) next.add(code);
      return next;
    });
  }
  protected fmtDateTime(iso: string): string {
    return formatDate(iso, 'dateTime');
  }
  protected async open(id: string): Promise<void> {
    try {
      await this.show(await firstValueFrom(this.api.run(id)));
    } catch (e) {
      this.fail(e);
    }
  }
  protected async setOutcomeStep(step: StepCode): Promise<void> {
    this.outcomeStep.set(step);
    await this.loadOutcomes();
  }
  protected async setWithinDays(days: number): Promise<void> {
    if (!Number.isInteger(days) || days < 1 || days > 3650) return;
    this.withinDays.set(days);
    await this.loadOutcomes();
  }
  /** Stopping throws the work so far away: ask first. */
  protected async cancel(): Promise<void> {
    const r = this.running();
    if (!r || !(await this.confirm.action('segmentationCancel', this.translate.instant('segmentation.cancelConfirm'), { danger: true })))
      return;
    try {
      await firstValueFrom(this.api.cancel(r.id));
    } catch (e) {
      this.fail(e);
    }
  }
  /** Darker for a larger share; text stays dark enough to read on every shade. */
  protected heat(v: number): string {
    return `rgba(31, 95, 153, ${(0.08 + v * 0.45).toFixed(2)})`;
  }

  protected async start(): Promise<void> {
    this.error.set(null);
    if (this.chosen().size < 2) {
      this.errorParams.set({});
      this.error.set('segmentation.itemsTooFew');
      return;
    }
    try {
      const all = this.chosen().size === DEFAULT_INTAKE_ITEMS.length;
      const { id } = await firstValueFrom(
        this.api.start({
          kMin: this.kMin(),
          kMax: this.kMax(),
          restarts: this.restarts(),
          seed: this.seed(),
          ...(all
            ? {}
            : {
                items: DEFAULT_INTAKE_ITEMS.map((i) => i.code).filter((c) => this.chosen().has(c)),
              }),
          ...(this.answeredFrom() ? { answeredFrom: this.answeredFrom() } : {}),
          ...(this.answeredTo() ? { answeredTo: this.answeredTo() } : {}),
        }),
      );
      this.running.set({
        id,
        state: 'queued',
        progress: 0,
        n: null,
        excluded: null,
        items: null,
        error: null,
        createdAt: '',
      });
      this.poll(id);
    } catch (e) {
      this.fail(e);
    }
  }

  protected async chooseK(k: number): Promise<void> {
    this.k.set(k);
    this.prefillNames();
    this.notice.set(null);
    await this.loadScenario();
  }
  /**
   * The runs as listed: completed runs with the same settings, clients and items are one row (the
   * newest), saying how often (#24: nine identical runs were nine rows); the run in use stays its own.
   */
  protected readonly runRows = computed(() => {
    const rows: { run: SegmentationRun; repeats: number }[] = [];
    const byKey = new Map<string, { run: SegmentationRun; repeats: number }>();
    for (const r of this.runs()) {
      const key =
        r.state === 'completed' && !r.activeK ? JSON.stringify([r.params ?? null, r.n, r.excluded, r.items]) : r.id;
      const known = byKey.get(key);
      if (known) known.repeats++;
      else {
        const row = { run: r, repeats: 1 };
        byKey.set(key, row);
        rows.push(row);
      }
    }
    return rows;
  });

  /** A segment's name once this scenario is the model in use (#24: headers said "Groep 1" beside named groups). */
  protected groupName(i: number): string | null {
    const run = this.run();
    return run?.activeK === this.k() ? (run?.activeTypes?.[i]?.name ?? null) : null;
  }

  /** The names in use when this scenario is the active model; empty otherwise. */
  private prefillNames(): void {
    const run = this.run();
    const active = run?.activeK === this.k() ? (run?.activeTypes ?? []) : [];
    this.names.set(active.map((t) => t.name));
    this.descriptions.set(active.map((t) => t.description ?? ''));
  }

  protected async activate(): Promise<void> {
    const run = this.run();
    const p = this.profile();
    if (!run || !p) return;
    const names = p.sizes.map((_, i) => (this.names()[i] ?? '').trim());
    if (names.some((n) => !n)) {
      this.notice.set('segmentation.namesMissing');
      return;
    }
    this.busy.set(true);
    try {
      const r = await firstValueFrom(
        this.api.activate(
          run.id,
          this.k(),
          names,
          p.sizes.map((_, i) => (this.descriptions()[i] ?? '').trim()),
        ),
      );
      this.noticeParams.set({ n: formatInt(r.assigned) });
      this.notice.set('segmentation.activated');
      await this.loadRuns();
      this.run.set(await firstValueFrom(this.api.run(run.id)));
      await this.loadTransitions();
    } catch (e) {
      this.notice.set(apiError(e).statusCode === 400 ? 'segmentation.namesInvalid' : 'errors.generic');
    } finally {
      this.busy.set(false);
    }
  }

  private poll(id: string): void {
    this.timer = setTimeout(async () => {
      try {
        const r = await firstValueFrom(this.api.run(id));
        if (r.state === 'queued' || r.state === 'running') {
          this.running.set(r);
          this.poll(id);
          return;
        }
        this.running.set(null);
        await this.loadRuns();
        if (r.state === 'completed') await this.show(r);
        else {
          this.errorParams.set({});
          this.error.set(
            r.state === 'cancelled'
              ? 'segmentation.cancelled'
              : r.error === 'too_few_clients'
                ? 'segmentation.tooFewComplete'
                : 'segmentation.failed',
          );
        }
      } catch (e) {
        this.running.set(null);
        this.fail(e);
      }
    }, 400);
  }

  private async loadRuns(): Promise<void> {
    this.runs.set(await firstValueFrom(this.api.runs()));
  }
  /** On arrival: the run in use if there is one, else the newest completed one; a running one polls. */
  private async loadLatest(): Promise<void> {
    try {
      await this.loadRuns();
      const runs = this.runs();
      const busy = runs.find((r) => r.state === 'queued' || r.state === 'running');
      if (busy) {
        this.running.set(busy);
        this.poll(busy.id);
      }
      const latest = runs.find((r) => r.activeK) ?? runs.find((r) => r.state === 'completed');
      if (latest) await this.show(await firstValueFrom(this.api.run(latest.id)));
    } catch (e) {
      this.fail(e);
    }
  }

  private async show(run: SegmentationRun): Promise<void> {
    this.run.set(run);
    const ks = (run.scenarios ?? []).map((s) => s.k);
    this.k.set(
      run.activeK && ks.includes(run.activeK)
        ? run.activeK
        : ks.includes(this.suggested() ?? -1)
          ? (this.suggested() as number)
          : (ks[0] ?? 2),
    );
    this.prefillNames();
    this.notice.set(null);
    await this.loadScenario();
  }

  private async loadScenario(): Promise<void> {
    const run = this.run();
    if (!run) return;
    const [p] = await Promise.all([firstValueFrom(this.api.profile(run.id, this.k())), this.loadOutcomes()]);
    this.profile.set(p);
  }
  private async loadOutcomes(): Promise<void> {
    const run = this.run();
    if (!run) return;
    const o = await firstValueFrom(this.api.outcomes(run.id, this.k(), this.outcomeStep(), this.withinDays()));
    this.outcomes.set(o.rows);
  }

  private async loadTransitions(): Promise<void> {
    try {
      this.transitions.set(await firstValueFrom(this.api.transitions(day(-365), day(0))));
    } catch {
      this.transitions.set(null);
    }
  }

  private fail(e: unknown): void {
    const err = apiError(e);
    const code = (e as { error?: { code?: string } } | null)?.error?.code;
    this.errorParams.set({});
    this.error.set(
      code === 'too_few_clients'
        ? 'segmentation.tooFew'
        : code === 'run_in_progress'
          ? 'segmentation.runInProgress'
          : err.statusCode === 400
            ? 'segmentation.invalid'
            : err.statusCode === 0
              ? 'login.unreachable'
              : 'errors.generic',
    );
  }

  ngOnDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
