import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { formatDate, type SystemHealthResponse } from '@klantmonitor/shared/domain';
import { statusErrorKey } from '@klantmonitor/dashboard/data-access';

/** How often the panel asks again while it is on screen. */
const REFRESH_MS = 30_000;

/**
 * The platform admin's start page: is everything running? Database, Redis and the worker, then
 * every queue with what waits, runs, waits for later and failed, and the newest failures with why.
 */
@Component({
  selector: 'km-system-health-panel',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="health-title" data-testid="system-health">
      <div class="page-head">
        <h2 id="health-title">{{ 'health.title' | translate }}</h2>
        <button type="button" class="secondary" (click)="load()" [disabled]="busy()">
          {{ 'health.refresh' | translate }}
        </button>
      </div>
      @if (error()) {
        <p class="error" role="alert">{{ error()! | translate }}</p>
      }
      @if (health(); as h) {
        <p [class]="h.status === 'ok' ? 'notice' : 'error'" role="status" data-testid="health-status">
          {{ 'health.status.' + h.status | translate }}
        </p>
        <dl class="health-checks">
          <dt>{{ 'health.database' | translate }}</dt>
          <dd data-testid="health-database">
            {{ 'health.' + h.checks.database.status | translate }}
            @if (h.checks.database.latencyMs !== null) {
              ({{ h.checks.database.latencyMs }} ms)
            }
          </dd>
          <dt>Redis</dt>
          <dd data-testid="health-redis">
            {{ 'health.' + h.checks.redis.status | translate }}
            @if (h.checks.redis.latencyMs !== null) {
              ({{ h.checks.redis.latencyMs }} ms)
            }
          </dd>
          <dt>{{ 'health.worker' | translate }}</dt>
          <dd data-testid="health-worker">
            {{ 'health.' + h.checks.worker.status | translate }}
            @if (h.checks.worker.lastSeenAt) {
              ·
              {{ 'health.lastSeen' | translate: { at: time(h.checks.worker.lastSeenAt) } }}
            }
          </dd>
        </dl>
        @if (h.queuesError) {
          <p class="error">{{ 'health.queuesUnknown' | translate }}</p>
        } @else {
          <div class="table-wrap">
            <table data-testid="health-queues">
              <caption class="visually-hidden">
                {{
                  'health.queues' | translate
                }}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{{ 'health.queue' | translate }}</th>
                  <th scope="col" class="num">
                    {{ 'health.waiting' | translate }}
                  </th>
                  <th scope="col" class="num">
                    {{ 'health.active' | translate }}
                  </th>
                  <th scope="col" class="num">
                    {{ 'health.delayed' | translate }}
                  </th>
                  <th scope="col" class="num">
                    {{ 'health.failed' | translate }}
                  </th>
                </tr>
              </thead>
              <tbody>
                @for (q of h.queues; track q.name) {
                  <tr [attr.data-queue]="q.name">
                    <th scope="row">{{ q.name }}</th>
                    <td class="num">{{ count(q.waiting) }}</td>
                    <td class="num">{{ count(q.active) }}</td>
                    <td class="num">{{ count(q.delayed) }}</td>
                    <td class="num" [class.alert-badge]="q.failed > 0">
                      {{ count(q.failed) }}
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          @for (q of h.queues; track q.name) {
            @if (q.recentFailures.length) {
              <h3>{{ 'health.failuresOf' | translate: { queue: q.name } }}</h3>
              <ul data-testid="health-failures">
                @for (f of q.recentFailures; track $index) {
                  <li>
                    <strong>{{ f.job }}</strong>
                    @if (f.failedAt) {
                      · {{ time(f.failedAt) }}
                    }
                    : <span class="muted">{{ f.reason }}</span>
                  </li>
                }
              </ul>
            }
          }
        }
      } @else if (!error()) {
        <p role="status" class="muted">{{ 'app.loading' | translate }}</p>
      }
    </section>
  `,
})
export class SystemHealthPanel {
  private readonly http = inject(HttpClient);
  protected readonly health = signal<SystemHealthResponse | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    void this.load();
    const timer = setInterval(() => void this.load(), REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  async load(): Promise<void> {
    this.busy.set(true);
    try {
      this.health.set(await firstValueFrom(this.http.get<SystemHealthResponse>('/api/health/system')));
      this.error.set(null);
    } catch (e) {
      this.error.set(statusErrorKey(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected count(n: number): string {
    return new Intl.NumberFormat('nl-NL').format(n);
  }

  protected time(iso: string): string {
    return formatDate(iso, 'dateTime');
  }
}
