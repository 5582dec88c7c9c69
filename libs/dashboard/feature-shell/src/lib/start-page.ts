import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { catchError, forkJoin, of } from 'rxjs';
import {
  AuthStore,
  BenchmarkApi,
  type Answer,
} from '@klantmonitor/dashboard/data-access';
import {
  BENCHMARK_DEFAULTS,
  benchmarkRequests,
} from '@klantmonitor/shared/domain';
import {
  FigureTiles,
  formatDecimal1,
  formatInt,
  formatPercent,
  type FigureTile,
} from '@klantmonitor/dashboard/ui-charts';

/** First page after sign-in: who you are, for which organisation, and what this role does here. */
@Component({
  selector: 'km-start-page',
  imports: [TranslatePipe, RouterLink, FigureTiles],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (me(); as me) {
      <h1>{{ 'start.hello' | translate: { name: me.name ?? me.email } }}</h1>
      <p class="lead" data-testid="role-intro">
        {{
          (me.role === 'platform_admin' ? 'start.platform' : 'start.' + me.role)
            | translate
        }}
      </p>
      @if (me.role === 'policy_advisor' || me.role === 'org_admin') {
        @if (me.role === 'policy_advisor') {
          @if (tiles(); as t) {
            <km-figure-tiles [tiles]="t" />
          } @else {
            <p class="muted" role="status">
              {{ 'benchmark.loading' | translate }}
            </p>
          }
        }
        <p>
          <a
            routerLink="/vergelijken"
            class="button primary"
            data-testid="start-benchmark"
            >{{ 'benchmark.startLink' | translate }}</a
          >
        </p>
      }
      @if (me.organisation; as org) {
        <section class="card">
          <h2>{{ 'start.organisation' | translate }}</h2>
          <p data-testid="organisation-name">{{ org.name }}</p>
          <h3>{{ 'start.municipalities' | translate }}</h3>
          <ul class="chips">
            @for (m of org.municipalities; track m.code) {
              <li>
                {{ m.name }} <span class="muted">({{ m.code }})</span>
              </li>
            }
          </ul>
        </section>
      }
    }
  `,
})
export class StartPage {
  protected readonly me = inject(AuthStore).me;
  private readonly api = inject(BenchmarkApi);
  private readonly translate = inject(TranslateService);
  private readonly answers = signal<Record<string, Answer | null> | null>(null);

  constructor() {
    const me = this.me();
    if (me?.role !== 'policy_advisor') return;
    // The page's tile questions with the default filters (the same answers /vergelijken opens with).
    const own = me.organisation?.municipalities.map((m) => m.code) ?? [];
    const tileRequests = benchmarkRequests(BENCHMARK_DEFAULTS, own, []).filter(
      (r) => r.key.startsWith('own') || r.key.startsWith('national'),
    );
    forkJoin(
      Object.fromEntries(
        tileRequests.map((r) => [
          r.key,
          this.api
            .answer(r.endpoint, r.params)
            .pipe(catchError(() => of(null))),
        ]),
      ),
    ).subscribe((a) => this.answers.set(a));
  }

  protected readonly tiles = computed<FigureTile[] | null>(() => {
    const a = this.answers();
    if (!a) return null;
    const tr = (k: string, p?: Record<string, unknown>) =>
      this.translate.instant(k, p);
    const part = (x: Answer | null, value: string | null, n: unknown) =>
      x
        ? {
            value: x.total.suppressed
              ? tr('benchmark.suppressedShort')
              : (value ?? '–'),
            detail: tr('benchmark.clients', { n: formatInt(n as number) }),
          }
        : null;
    const median = (x: Answer | null) =>
      x && typeof x.total['medianDays'] === 'number'
        ? tr('benchmark.days', { n: x.total['medianDays'] })
        : tr('benchmark.noMedian');
    const row = (
      title: string,
      key: string,
      value: (x: Answer) => string | null,
      n: (x: Answer) => unknown,
    ): FigureTile => ({
      title,
      own: part(
        a[`own${key}`],
        a[`own${key}`] ? value(a[`own${key}`] as Answer) : null,
        a[`own${key}`] ? n(a[`own${key}`] as Answer) : null,
      ),
      national: part(
        a[`national${key}`],
        a[`national${key}`] ? value(a[`national${key}`] as Answer) : null,
        a[`national${key}`] ? n(a[`national${key}`] as Answer) : null,
      ),
      ownLabel: tr('benchmark.tileOwn'),
      nationalLabel: tr('benchmark.tileNational'),
    });
    return [
      row(
        tr('benchmark.tileBalance', { n: BENCHMARK_DEFAULTS.withinDays }),
        'Balance',
        (x) => formatPercent(x.total['share'] as number),
        (x) => x.total['eligible'],
      ),
      row(
        tr('benchmark.tileDropout'),
        'Dropout',
        (x) => formatPercent(x.total['share'] as number),
        (x) => x.total['n'],
      ),
      row(tr('benchmark.tileTime'), 'Time', median, (x) => x.total['n']),
      row(
        tr('benchmark.tileExperience'),
        'Experience',
        (x) => formatDecimal1(x.total['mean'] as number),
        (x) => x.total['n'],
      ),
    ];
  });
}
