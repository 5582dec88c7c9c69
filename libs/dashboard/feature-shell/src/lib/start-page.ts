import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { catchError, forkJoin, of } from 'rxjs';
import { AuthStore, BenchmarkApi, type Answer } from '@klantmonitor/dashboard/data-access';
import { BENCHMARK_DEFAULTS, benchmarkRequests } from '@klantmonitor/shared/domain';
import { benchmarkTiles, FigureTiles } from '@klantmonitor/dashboard/ui-charts';
import { AdminOverviewPanel } from './admin-overview-panel';
import { SystemHealthPanel } from './system-health-panel';
import { WorklistPanel } from './worklist-panel';

/** First page after sign-in: who you are, for which organisation, and what this role does here. */
@Component({
  selector: 'km-start-page',
  imports: [TranslatePipe, RouterLink, FigureTiles, WorklistPanel, SystemHealthPanel, AdminOverviewPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (me(); as me) {
      <h1>{{ 'start.hello' | translate: { name: me.name ?? me.email } }}</h1>
      <p class="lead" data-testid="role-intro">
        {{ (me.role === 'platform_admin' ? 'start.platform' : 'start.' + me.role) | translate }}
      </p>
      @if (me.role === 'counselor') {
        <km-worklist-panel initialScope="mine" />
      }
      @if (me.role === 'platform_admin') {
        <km-system-health-panel />
      }
      @if (me.role === 'org_admin' && me.organisation) {
        <km-admin-overview-panel [organisationId]="me.organisation.id" />
      }
      @if (me.role === 'policy_advisor' || me.role === 'org_admin') {
        @if (me.role === 'policy_advisor') {
          @if (tiles(); as t) {
            <km-figure-tiles [tiles]="t" />
          } @else {
            <p class="muted" role="status">{{ 'benchmark.loading' | translate }}</p>
          }
        }
        <p>
          <a routerLink="/vergelijken" class="button primary" data-testid="start-benchmark">{{
            'benchmark.startLink' | translate
          }}</a>
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
  private readonly answers = signal<Record<string, Answer | undefined> | null>(null);

  constructor() {
    const me = this.me();
    if (me?.role !== 'policy_advisor') return;
    // The tile questions of /vergelijken with its default filters: the same answers the page opens with.
    const own = me.organisation?.municipalities.map((m) => m.code) ?? [];
    // The page opens with every municipality, other organisations' among them: its windowed figures
    // (the last four complete quarters), own tiles in the same window.
    const tileRequests = benchmarkRequests(BENCHMARK_DEFAULTS, own, [], ['*']).filter(
      (r) => r.key.startsWith('own') || r.key.startsWith('national'),
    );
    forkJoin(
      Object.fromEntries(
        tileRequests.map((r) => [r.key, this.api.answer(r.endpoint, r.params).pipe(catchError(() => of(undefined)))]),
      ),
    ).subscribe((a) => this.answers.set(a));
  }

  protected readonly tiles = computed(() => {
    const a = this.answers();
    return a ? benchmarkTiles(a, BENCHMARK_DEFAULTS.withinDays, (k, p) => this.translate.instant(k, p)) : null;
  });
}
