import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { catchError, of } from 'rxjs';
import { STEP_CODES, type CaseloadFigures } from '@klantmonitor/shared/domain';
import { ClientsApi } from '@klantmonitor/dashboard/data-access';
import { BarChart } from '@klantmonitor/dashboard/ui-charts';

/** A counselor's own results next to the team's: clients per step and median days to "I&U in view". */
@Component({
  selector: 'km-caseload-summary',
  imports: [TranslatePipe, BarChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (summary(); as s) {
      <section class="card results" aria-labelledby="results-title">
        <h2 id="results-title">{{ 'caseload.results' | translate }}</h2>
        <div class="results-grid">
          @for (col of columns(); track col.key) {
            <div class="results-col" [attr.data-testid]="'results-' + col.key">
              <h3>{{ col.title | translate }}</h3>
              <dl>
                <dt>{{ 'caseload.open' | translate }}</dt>
                <dd>{{ col.f.open }}</dd>
                <dt>{{ 'caseload.stalled' | translate }}</dt>
                <dd>{{ col.f.stalled }}</dd>
                <dt>{{ 'caseload.droppedOut' | translate }}</dt>
                <dd>{{ col.f.droppedOut }}</dd>
                <dt>{{ 'caseload.medianDays' | translate }}</dt>
                <dd>
                  @if (col.f.medianDaysToIuInView !== null) {
                    {{
                      'caseload.daysValue' | translate: { days: col.f.medianDaysToIuInView, n: col.f.reachedIuInView }
                    }}
                  } @else {
                    {{ 'caseload.noMedian' | translate }}
                  }
                </dd>
              </dl>
              <km-bar-chart
                [title]="('caseload.perStep' | translate) + ' · ' + (col.title | translate)"
                [values]="perStep(col.f)"
              />
            </div>
          }
        </div>
      </section>
    }
  `,
})
export class CaseloadSummary {
  private readonly translate = inject(TranslateService);
  protected readonly summary = toSignal(
    inject(ClientsApi)
      .summary()
      .pipe(catchError(() => of(null))),
    { initialValue: null },
  );
  protected readonly columns = computed(() => {
    const s = this.summary();
    if (!s) return [];
    return [
      ...(s.mine ? [{ key: 'mine', title: 'caseload.mine', f: s.mine }] : []),
      { key: 'team', title: 'caseload.team', f: s.team },
    ];
  });

  protected perStep(f: CaseloadFigures) {
    return STEP_CODES.map((s) => ({ label: this.translate.instant(`stepsShort.${s}`), value: f.perStep[s] }));
  }
}
