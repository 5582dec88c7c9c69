import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { catchError, debounceTime, firstValueFrom, map, of, startWith, switchMap } from 'rxjs';
import {
  CASELOAD_SORT_FIELDS,
  STEP_CODES,
  TEXT_LIMITS,
  type CaseloadResponse,
  type CaseloadSortField,
  formatDate,
  todayInAmsterdam,
} from '@klantmonitor/shared/domain';
import { apiError, AuthStore, CaseloadFilter, ClientsApi, saveFile } from '@klantmonitor/dashboard/data-access';
import { CaseloadSummary } from './caseload-summary';
import { caseloadFilterFromQuery, caseloadQuery } from './caseload-url';

const PAGE_SIZE = 50;
const DEFAULT_SORT = 'firstContact:desc';
const FIGURES_KEY = 'km.caseload.figures';

function readFiguresOpen(): boolean {
  try {
    return localStorage.getItem(FIGURES_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * The caseload, modelled on the "klantvolgsysteem" table counselors know: one row per client,
 * one column per step with a tick and its date. Filtering and paging happen on the server, so the
 * page stays fast with 10,000 clients.
 */
@Component({
  selector: 'km-caseload-page',
  imports: [RouterLink, TranslatePipe, CaseloadSummary],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <h1>{{ 'caseload.title' | translate }}</h1>
      <a routerLink="/clienten/nieuw" class="button primary">{{ 'caseload.newClient' | translate }}</a>
    </div>
    <p class="lead">{{ 'caseload.intro' | translate }}</p>

    <form class="filters" role="search" (submit)="$event.preventDefault()">
      <div>
        <label for="f-q">{{ 'caseload.search' | translate }}</label>
        <input
          id="f-q"
          type="search"
          [value]="filter().q ?? ''"
          (input)="search($any($event.target).value)"
          [attr.aria-invalid]="searchTooLong() ? 'true' : null"
          [attr.aria-describedby]="searchTooLong() ? 'f-q-error' : null"
        />
        @if (searchTooLong()) {
          <p class="utrecht-form-field-error-message" id="f-q-error">
            {{ 'forms.tooLongApi' | translate: { label: ('caseload.search' | translate), max: searchMax } }}
          </p>
        }
      </div>
      <div>
        <label for="f-municipality">{{ 'caseload.municipality' | translate }}</label>
        <select id="f-municipality" (change)="set({ municipality: $any($event.target).value })">
          <option value="">{{ 'caseload.allMunicipalities' | translate }}</option>
          @for (m of municipalities(); track m.code) {
            <option [value]="m.code" [selected]="filter().municipality === m.code">{{ m.name }}</option>
          }
        </select>
      </div>
      <div>
        <label for="f-step">{{ 'caseload.step' | translate }}</label>
        <select id="f-step" (change)="set({ step: $any($event.target).value })">
          <option value="">{{ 'caseload.allSteps' | translate }}</option>
          @for (s of steps; track s) {
            <option [value]="s" [selected]="filter().step === s">{{ 'steps.' + s | translate }}</option>
          }
        </select>
      </div>
      <div>
        <label for="f-status">{{ 'caseload.status' | translate }}</label>
        <select id="f-status" (change)="set({ status: $any($event.target).value })">
          <option value="">{{ 'caseload.allStatuses' | translate }}</option>
          @for (st of statuses; track st) {
            <option [value]="st" [selected]="filter().status === st">{{ 'status.' + st | translate }}</option>
          }
        </select>
      </div>
      <div>
        <label for="f-type">{{ 'caseload.clientType' | translate }}</label>
        <select id="f-type" (change)="set({ clientType: $any($event.target).value })">
          <option value="">{{ 'caseload.allTypes' | translate }}</option>
          @for (t of clientTypes(); track t.code) {
            <option [value]="t.code" [selected]="filter().clientType === t.code">{{ t.name }}</option>
          }
          <option value="unknown" [selected]="filter().clientType === 'unknown'">
            {{ 'caseload.noType' | translate }}
          </option>
        </select>
      </div>
      <div>
        <label for="f-sort">{{ 'caseload.sortBy' | translate }}</label>
        <select id="f-sort" (change)="set({ sort: $any($event.target).value })">
          @for (o of sortOptions; track o) {
            <option [value]="o" [selected]="sort() === o">
              {{ 'caseload.sorts.' + o.replace(':', '_') | translate }}
            </option>
          }
        </select>
      </div>
      <label class="check"
        ><input type="checkbox" [checked]="!!filter().alerts" (change)="set({ alerts: $any($event.target).checked })" />
        {{ 'caseload.alertsOnly' | translate }}</label
      >
      <label class="check"
        ><input
          type="checkbox"
          [checked]="!!filter().stalled"
          (change)="set({ stalled: $any($event.target).checked })"
        />
        {{ 'caseload.stalledOnly' | translate }}</label
      >
      <label class="check"
        ><input
          type="checkbox"
          [checked]="!!filter().waiting"
          (change)="set({ waiting: $any($event.target).checked })"
        />
        {{ 'caseload.waitingOnly' | translate }}</label
      >
      <label class="check"
        ><input
          type="checkbox"
          [checked]="!!filter().overdue"
          (change)="set({ overdue: $any($event.target).checked })"
        />
        {{ 'caseload.overdueOnly' | translate }}</label
      >
      @if (isCounselor()) {
        <label class="check"
          ><input type="checkbox" [checked]="!!filter().mine" (change)="set({ mine: $any($event.target).checked })" />
          {{ 'caseload.mineOnly' | translate }}</label
        >
      }
    </form>

    @if (result(); as r) {
      <div class="caseload-bar">
        <p class="muted" aria-live="polite" data-testid="caseload-total">
          {{ (r.total === 1 ? 'caseload.totalOne' : 'caseload.total') | translate: { total: count(r.total) } }}
        </p>
        @if (r.total > 0) {
          <div class="downloads" role="group" [attr.aria-label]="'caseload.exportLabel' | translate">
            <button
              type="button"
              class="secondary"
              (click)="download('csv')"
              [disabled]="downloading()"
              data-testid="caseload-csv"
            >
              {{ 'caseload.exportCsv' | translate }}
            </button>
            <button
              type="button"
              class="secondary"
              (click)="download('xlsx')"
              [disabled]="downloading()"
              data-testid="caseload-xlsx"
            >
              {{ 'caseload.exportXlsx' | translate }}
            </button>
          </div>
        }
      </div>
      @if (downloadError()) {
        <p class="error" role="alert" data-testid="caseload-export-error">{{ downloadError() }}</p>
      }
      @if (r.items.length === 0) {
        <p>{{ 'caseload.none' | translate }}</p>
      } @else {
        <div class="table-wrap">
          <table class="caseload" data-testid="caseload">
            <thead>
              <tr>
                <th scope="col" [attr.aria-sort]="ariaSort('clientRef')">
                  <button type="button" class="sort" (click)="sortOn('clientRef')">
                    {{ 'caseload.client' | translate }}<span aria-hidden="true">{{ arrow('clientRef') }}</span>
                  </button>
                </th>
                <th scope="col" [attr.aria-sort]="ariaSort('municipality')">
                  <button type="button" class="sort" (click)="sortOn('municipality')">
                    {{ 'caseload.municipality' | translate }}<span aria-hidden="true">{{ arrow('municipality') }}</span>
                  </button>
                </th>
                @for (s of steps; track s) {
                  <th scope="col" class="step-col">
                    <abbr [title]="'steps.' + s | translate">{{ 'caseload.stepCols.' + s | translate }}</abbr>
                  </th>
                }
                <th scope="col">{{ 'caseload.clientType' | translate }}</th>
                <th scope="col">{{ 'caseload.alerts' | translate }}</th>
                <th scope="col">{{ 'caseload.caseholder' | translate }}</th>
                <th scope="col" [attr.aria-sort]="ariaSort('lastActivityOn')">
                  <button type="button" class="sort" (click)="sortOn('lastActivityOn')">
                    {{ 'caseload.lastActivity' | translate
                    }}<span aria-hidden="true">{{ arrow('lastActivityOn') }}</span>
                  </button>
                </th>
              </tr>
            </thead>
            <tbody>
              @for (c of r.items; track c.id) {
                <tr [class.dropped]="c.status === 'dropped_out'">
                  <th scope="row">
                    <a [routerLink]="['/clienten', c.id]">{{ c.clientRef }}</a>
                    @if (c.status !== 'open') {
                      <span class="tag">{{ 'status.' + c.status | translate }}</span>
                    } @else if (c.firstContact === null) {
                      <!-- A request waiting for its first meeting (#26): by when, or how late. -->
                      <span class="tag" [class.overdue]="c.firstMeetingDue < today" data-testid="caseload-waiting">{{
                        (c.firstMeetingDue < today ? 'caseload.overdueTag' : 'caseload.waitingTag')
                          | translate: { date: short(c.firstMeetingDue) }
                      }}</span>
                    }
                    @if (c.crisis) {
                      <abbr class="tag crisis" [title]="'crisis.' + c.crisis | translate">{{
                        'caseload.crisisShort' | translate
                      }}</abbr>
                    }
                    @for (s of c.services; track s) {
                      <abbr class="tag" [title]="'services.' + s | translate">{{
                        'servicesShort.' + s | translate
                      }}</abbr>
                    }
                  </th>
                  <td>{{ c.municipality.name }}</td>
                  @for (s of steps; track s) {
                    <td class="step-col">
                      @if (c.steps[s]; as date) {
                        <span class="tick" aria-hidden="true">✓</span>
                        <span class="visually-hidden">{{ 'caseload.reached' | translate: { date: date } }}</span>
                        <!-- 25-5-2026, allowed to wrap after the month when the column is narrow -->
                        @let parts = dateParts(date);
                        <span class="step-date" aria-hidden="true">{{ parts[0] }}<wbr />{{ parts[1] }}</span>
                      } @else {
                        <span class="visually-hidden">{{ 'caseload.notReached' | translate }}</span>
                      }
                    </td>
                  }
                  <td class="name-col">{{ c.clientType?.name ?? '' }}</td>
                  <td>
                    @if (c.stalledSince) {
                      <span class="alert-badge">{{ 'caseload.stalled' | translate }}</span>
                    } @else if (c.openAlerts > 0) {
                      <span class="alert-badge">{{ c.openAlerts }}</span>
                    }
                  </td>
                  <td class="name-col">{{ c.counselor?.name ?? '' }}</td>
                  <td class="nowrap">
                    <time [attr.datetime]="c.lastActivityOn">{{ short(c.lastActivityOn) }}</time>
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <nav class="pager" aria-label="Paginering">
          <button type="button" class="secondary" [disabled]="!r.prevCursor" (click)="goTo({ before: r.prevCursor })">
            {{ 'caseload.previous' | translate }}
          </button>
          <span>{{ 'caseload.page' | translate: { page: page(), pages: pages() } }}</span>
          <button type="button" class="secondary" [disabled]="!r.nextCursor" (click)="goTo({ after: r.nextCursor })">
            {{ 'caseload.next' | translate }}
          </button>
        </nav>
      }
    } @else {
      <p role="status">{{ 'app.loading' | translate }}</p>
    }

    <section class="caseload-figures" aria-labelledby="figures-toggle">
      <h2 class="toggle-head">
        <button
          id="figures-toggle"
          type="button"
          class="link"
          [attr.aria-expanded]="figuresOpen()"
          aria-controls="caseload-figures"
          (click)="toggleFigures()"
          data-testid="figures-toggle"
        >
          <span aria-hidden="true">{{ figuresOpen() ? '▾' : '▸' }}</span> {{ 'caseload.figures' | translate }}
        </button>
      </h2>
      <div id="caseload-figures" [hidden]="!figuresOpen()">
        @if (figuresOpen()) {
          <km-caseload-summary />
        }
      </div>
    </section>
  `,
})
export class CaseloadPage {
  private readonly api = inject(ClientsApi);
  private readonly auth = inject(AuthStore);
  private readonly translate = inject(TranslateService);
  protected readonly steps = STEP_CODES;
  protected readonly municipalities = computed(() => this.auth.me()?.organisation?.municipalities ?? []);
  protected readonly isCounselor = computed(() => this.auth.role() === 'counselor');
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  protected readonly statuses = ['open', 'dropped_out', 'closed'];
  protected readonly searchMax = TEXT_LIMITS.search;
  /** What the search box holds, also when it is too long to send (then the list stays as it was). */
  protected readonly searchTooLong = signal(false);
  /** The view is the URL's: filters, sort and page survive back, reload and a shared link. */
  protected readonly filter = toSignal(
    this.route.queryParamMap.pipe(
      map((p) => caseloadFilterFromQuery(Object.fromEntries(p.keys.map((k) => [k, p.get(k) ?? undefined])), PAGE_SIZE)),
    ),
    { initialValue: caseloadFilterFromQuery({}, PAGE_SIZE) },
  );
  /** The statistics under the list, folded unless the person opened them (remembered). */
  protected readonly figuresOpen = signal(readFiguresOpen());
  /** The page on screen: the answer says which (a cursor knows its page). */
  protected readonly page = computed(() => this.result()?.page ?? 1);
  protected readonly result = toSignal(
    toObservable(this.filter).pipe(
      debounceTime(200),
      switchMap((f) =>
        this.api.caseload(f).pipe(
          map((r): CaseloadResponse | null => r),
          startWith(null),
          catchError(() =>
            of({
              items: [],
              total: 0,
              page: 1,
              pageSize: PAGE_SIZE,
              nextCursor: null,
              prevCursor: null,
            } as CaseloadResponse),
          ),
        ),
      ),
    ),
    { initialValue: null },
  );
  protected readonly pages = computed(() => Math.max(1, Math.ceil((this.result()?.total ?? 0) / PAGE_SIZE)));
  protected readonly clientTypes = toSignal(this.api.clientTypes().pipe(catchError(() => of([]))), {
    initialValue: [],
  });
  protected readonly sortOptions = CASELOAD_SORT_FIELDS.flatMap((f) => [`${f}:asc`, `${f}:desc`]);
  protected readonly sort = computed(() => this.filter().sort ?? DEFAULT_SORT);
  protected readonly downloading = signal(false);
  protected readonly downloadError = signal<string | null>(null);

  protected set(change: Partial<CaseloadFilter>): void {
    // Other filters or another order: from the first page again (a cursor belongs to its view).
    // Replacing the history entry: back leaves the list instead of undoing every keystroke.
    this.navigate({ ...this.filter(), ...change, after: undefined, before: undefined }, true);
  }

  /** Longer than the search takes: said under the box, nothing cut, the list stays as it was. */
  protected search(value: string): void {
    const tooLong = value.length > TEXT_LIMITS.search;
    this.searchTooLong.set(tooLong);
    if (!tooLong) this.set({ q: value || undefined });
  }

  protected toggleFigures(): void {
    const open = !this.figuresOpen();
    this.figuresOpen.set(open);
    try {
      localStorage.setItem(FIGURES_KEY, open ? '1' : '0');
    } catch {
      /* private mode: not remembered */
    }
  }

  private navigate(f: CaseloadFilter, replaceUrl: boolean): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: caseloadQuery(f), replaceUrl });
  }

  /** A column header: the first click sorts that column ascending, the next one the other way. */
  protected sortOn(field: CaseloadSortField): void {
    const [current, dir] = this.sort().split(':');
    this.set({ sort: `${field}:${current === field && dir === 'asc' ? 'desc' : 'asc'}` });
  }
  protected ariaSort(field: CaseloadSortField): 'ascending' | 'descending' | null {
    const [current, dir] = this.sort().split(':');
    return current === field ? (dir === 'asc' ? 'ascending' : 'descending') : null;
  }
  protected arrow(field: CaseloadSortField): string {
    const s = this.ariaSort(field);
    return s === 'ascending' ? ' ▲' : s === 'descending' ? ' ▼' : '';
  }

  /** The current view, every page, as a file (the server applies the same filters and order). */
  protected async download(format: 'csv' | 'xlsx'): Promise<void> {
    this.downloadError.set(null);
    this.downloading.set(true);
    try {
      saveFile(await firstValueFrom(this.api.exportCaseload(this.filter(), format)), `klantmonitor-clienten.${format}`);
    } catch (e) {
      const err = apiError(e);
      this.downloadError.set(
        this.translate.instant(
          err.statusCode === 422
            ? 'caseload.exportTooLarge'
            : err.statusCode === 0
              ? 'login.unreachable'
              : 'errors.generic',
          {
            limit: (err.details?.[0] as { limit?: number } | undefined)?.limit ?? '',
          },
        ),
      );
    } finally {
      this.downloading.set(false);
    }
  }

  /** The next or previous page, by the cursor the answer on screen gave (keyset paging). */
  protected goTo(cursor: { after?: string | null; before?: string | null }): void {
    this.navigate({ ...this.filter(), after: cursor.after ?? undefined, before: cursor.before ?? undefined }, false);
  }

  /** 1234 -> 1.234 */
  protected count(n: number): string {
    return new Intl.NumberFormat('nl-NL').format(n);
  }

  /** 2025-03-01 -> 1-3-2025 (the tables' format). */
  protected readonly today = todayInAmsterdam();

  protected short(date: string): string {
    return formatDate(date);
  }

  /** 1-3-2025 as ["1-3-", "2025"]: a step date may wrap before the year in a narrow column. */
  protected dateParts(date: string): [string, string] {
    const d = formatDate(date);
    const i = d.lastIndexOf('-') + 1;
    return [d.slice(0, i), d.slice(i)];
  }
}
