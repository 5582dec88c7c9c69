import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { catchError, forkJoin, of } from 'rxjs';
import {
  formatDate,
  type DeliveryFailuresResponse,
  type RecentImport,
  type UserResponse,
} from '@klantmonitor/shared/domain';

/**
 * The organisation admin's start page: how the last imports went, who has access (and who has not
 * signed in yet, e.g. an open invitation), and invitations to clients that could not be delivered.
 * Each part links to where it is handled; a part that cannot load says so and the others stay.
 */
@Component({
  selector: 'km-admin-overview-panel',
  imports: [TranslatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="client-grid" data-testid="admin-overview">
      <section class="card" aria-labelledby="imports-title" data-testid="overview-imports">
        <h2 id="imports-title">{{ 'overview.imports' | translate }}</h2>
        @if (imports(); as list) {
          @if (list.length) {
            <ul>
              @for (i of list.slice(0, 5); track i.at) {
                <li>
                  <strong>{{ 'overview.kind.' + i.kind | translate }}</strong> · {{ time(i.at) }} <br />{{
                    'overview.importLine'
                      | translate
                        : {
                            rows: count(i.rows),
                            created: count(i.created),
                            updated: count(i.updated),
                            by: i.by ?? '',
                          }
                  }}
                </li>
              }
            </ul>
          } @else {
            <p class="muted">{{ 'overview.noImports' | translate }}</p>
          }
        } @else if (failed().includes('imports')) {
          <p class="error">{{ 'overview.unavailable' | translate }}</p>
        }
        <p>
          <a routerLink="/beheer/import">{{ 'overview.toImport' | translate }}</a>
        </p>
      </section>

      <section class="card" aria-labelledby="people-title" data-testid="overview-users">
        <h2 id="people-title">{{ 'overview.users' | translate }}</h2>
        @if (people(); as p) {
          <dl>
            <dt>{{ 'overview.active' | translate }}</dt>
            <dd data-testid="overview-active">{{ count(p.active) }}</dd>
            <dt>{{ 'overview.neverSignedIn' | translate }}</dt>
            <dd data-testid="overview-never">{{ count(p.never) }}</dd>
            <dt>{{ 'overview.deactivated' | translate }}</dt>
            <dd>{{ count(p.deactivated) }}</dd>
          </dl>
        } @else if (failed().includes('users')) {
          <p class="error">{{ 'overview.unavailable' | translate }}</p>
        }
        <p>
          <a [routerLink]="['/beheer/organisaties', organisationId(), 'gebruikers']">{{
            'overview.toUsers' | translate
          }}</a>
        </p>
      </section>

      <section class="card" aria-labelledby="failures-title" data-testid="overview-failures">
        <h2 id="failures-title">{{ 'overview.failures' | translate }}</h2>
        @if (failures(); as f) {
          @if (f.total) {
            <p>
              {{
                (f.total === 1 ? 'overview.failuresOne' : 'overview.failuresMany') | translate: { n: count(f.total) }
              }}
            </p>
            <ul>
              @for (x of f.items.slice(0, 8); track $index) {
                <li>
                  <a [routerLink]="['/clienten', x.clientId]">{{ x.clientRef }}</a>
                  · {{ day(x.plannedOn) }}
                  @if (x.reason) {
                    · <span class="muted">{{ reasonText(x.reason) }}</span>
                  }
                </li>
              }
            </ul>
          } @else {
            <p class="muted">{{ 'overview.noFailures' | translate }}</p>
          }
        } @else if (failed().includes('failures')) {
          <p class="error">{{ 'overview.unavailable' | translate }}</p>
        }
      </section>
    </div>
  `,
})
export class AdminOverviewPanel {
  readonly organisationId = input.required<string>();
  private readonly http = inject(HttpClient);
  private readonly translate = inject(TranslateService);
  protected readonly imports = signal<RecentImport[] | null>(null);
  protected readonly users = signal<UserResponse[] | null>(null);
  protected readonly failures = signal<DeliveryFailuresResponse | null>(null);
  protected readonly failed = signal<string[]>([]);

  protected readonly people = computed(() => {
    const u = this.users();
    return u
      ? {
          active: u.filter((x) => x.active).length,
          never: u.filter((x) => x.active && !x.lastLoginAt).length,
          deactivated: u.filter((x) => !x.active).length,
        }
      : null;
  });

  constructor() {
    const fail = (part: string) => {
      this.failed.update((f) => [...f, part]);
      return of(null);
    };
    // After the inputs are set (the organisation id), in one go.
    queueMicrotask(() =>
      forkJoin({
        imports: this.http.get<RecentImport[]>('/api/v1/imports/recent').pipe(catchError(() => fail('imports'))),
        users: this.http
          .get<UserResponse[]>(`/api/v1/organisations/${encodeURIComponent(this.organisationId())}/users`)
          .pipe(catchError(() => fail('users'))),
        failures: this.http
          .get<DeliveryFailuresResponse>('/api/v1/questionnaires/delivery-failures')
          .pipe(catchError(() => fail('failures'))),
      }).subscribe((r) => {
        this.imports.set(r.imports);
        this.users.set(r.users);
        this.failures.set(r.failures);
      }),
    );
  }

  protected count(n: number): string {
    return new Intl.NumberFormat('nl-NL').format(n);
  }

  protected time(iso: string): string {
    return formatDate(iso, 'dateTime');
  }

  protected day(iso: string): string {
    return formatDate(iso);
  }

  /** A known delivery failure in words; the provider's own text otherwise. */
  protected reasonText(reason: string): string {
    const key = `questionnaires.reason.${reason}`;
    const text = this.translate.instant(key) as string;
    return text === key ? reason : text;
  }
}
