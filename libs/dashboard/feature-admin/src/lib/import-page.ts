import { HttpErrorResponse, HttpEventType } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, OnDestroy, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { Subscription, interval, switchMap, catchError, EMPTY, firstValueFrom, of } from 'rxjs';
import {
  DEFAULT_INTAKE_ITEM_CODES,
  dutchImportColumn,
  STEP_CODES,
  DROPOUT_REASONS,
  CRISIS_KINDS,
  type ImportResult,
  type ImportRowError,
} from '@klantmonitor/shared/domain';
import {
  apiError,
  AuthStore,
  ClientsApi,
  ImportKind,
  ImportsApi,
  localErrorText,
  saveFile,
} from '@klantmonitor/dashboard/data-access';
import { LanguageService } from '@klantmonitor/dashboard/util-i18n';

interface CodeList {
  title: string;
  /** What to say when the list is empty (a translation key). */
  empty: string;
  rows: { code: string; text?: string; key?: string }[];
}

/** The columns in the templates' (Dutch) names; the English ones of the API work as well. */
const COLUMNS: Record<ImportKind, string> = {
  trajectories: ['client_ref', 'municipality', ...STEP_CODES, 'dropout_date', 'dropout_reason']
    .map(dutchImportColumn)
    .join(', '),
  assessments: ['client_ref', 'assessed_on', 'client_type'].map(dutchImportColumn).join(', '),
  'intake-answers': ['client_ref', 'answered_on', ...DEFAULT_INTAKE_ITEM_CODES].map(dutchImportColumn).join(', '),
};

/**
 * Organisation admin: bring in history from CSV or XLSX exports. Check first (nothing is written),
 * then import; with any problem nothing is imported and every problem is listed by row and column.
 */
@Component({
  selector: 'km-import-page',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .template-links {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      align-items: baseline;
    }
  `,
  template: `
    <h1>{{ 'import.title' | translate }}</h1>
    <p class="lead">{{ 'import.intro' | translate }}</p>

    <section class="card">
      <fieldset>
        <legend>{{ 'import.kind' | translate }}</legend>
        <label class="radio"
          ><input
            type="radio"
            name="kind"
            value="trajectories"
            [checked]="kind() === 'trajectories'"
            (change)="setKind('trajectories')"
          />
          {{ 'import.trajectories' | translate }}</label
        >
        <label class="radio"
          ><input
            type="radio"
            name="kind"
            value="assessments"
            [checked]="kind() === 'assessments'"
            (change)="setKind('assessments')"
          />
          {{ 'import.assessments' | translate }}</label
        >
        <label class="radio"
          ><input
            type="radio"
            name="kind"
            value="intake-answers"
            [checked]="kind() === 'intake-answers'"
            (change)="setKind('intake-answers')"
          />
          {{ 'import.intakeAnswers' | translate }}</label
        >
      </fieldset>
      <p class="muted">
        {{ 'import.columns' | translate }} <code data-testid="import-columns">{{ columns[kind()] }}</code
        >.
        {{ 'import.columnsEnglish' | translate }}
      </p>
      <p class="template-links">
        <span>{{ 'import.template' | translate }}</span>
        <button
          type="button"
          class="link"
          (click)="downloadTemplate('xlsx')"
          [disabled]="templateBusy()"
          data-testid="import-template-xlsx"
        >
          {{ 'import.templateXlsx' | translate }}
        </button>
        <button
          type="button"
          class="link"
          (click)="downloadTemplate('csv')"
          [disabled]="templateBusy()"
          data-testid="import-template"
        >
          {{ 'import.templateCsv' | translate }}
        </button>
      </p>
      @if (templateError()) {
        <p class="error" role="alert" data-testid="import-template-error">{{ templateError() }}</p>
      }
      <details data-testid="import-codes">
        <summary>{{ 'import.codesTitle' | translate }}</summary>
        @if (kind() === 'intake-answers') {
          <p>{{ 'import.codesScale' | translate }}</p>
        }
        @for (list of codeLists(); track list.title) {
          <h3>{{ list.title | translate }}</h3>
          @if (list.rows.length) {
            <table class="codes">
              <thead>
                <tr>
                  <th scope="col">{{ 'import.code' | translate }}</th>
                  <th scope="col">{{ 'import.meaning' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (r of list.rows; track r.code) {
                  <tr>
                    <td>
                      <code>{{ r.code }}</code>
                    </td>
                    <td>{{ r.key ? (r.key | translate) : r.text }}</td>
                  </tr>
                }
              </tbody>
            </table>
          } @else {
            <p class="muted">{{ list.empty | translate }}</p>
          }
        }
        @if (kind() === 'trajectories') {
          <p class="muted">{{ 'import.codesDates' | translate }}</p>
        }
      </details>
      <label for="import-file">{{ 'import.file' | translate }}</label>
      <input
        id="import-file"
        type="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        (change)="choose($event)"
      />
      <div class="button-row">
        <button type="button" class="primary" [disabled]="!file() || busy()" (click)="start(true)">
          {{ 'import.check' | translate }}
        </button>
        <button type="button" class="primary" [disabled]="!file() || busy()" (click)="start(false)">
          {{ 'import.run' | translate }}
        </button>
      </div>
      @if (busy()) {
        <div class="progress-wrap">
          <label for="import-progress">{{ progressLabel() | translate: progressParams() }}</label>
          <progress id="import-progress" max="100" [value]="percent()" data-testid="import-progress">
            {{ percent() }}%
          </progress>
        </div>
      }
    </section>

    @if (failure()) {
      <p class="error" role="alert" data-testid="import-failure">{{ failure() }}</p>
    }
    @if (result(); as r) {
      @if (r.errorCount === 0) {
        <p class="notice" role="status" data-testid="import-result">
          @if (r.dryRun) {
            {{ (r.rows === 1 ? 'import.checkedOkOne' : 'import.checkedOk') | translate: { rows: r.rows } }}
          } @else {
            {{
              (r.rows === 1 ? 'import.doneOne' : 'import.done')
                | translate: { rows: r.rows, created: r.created, updated: r.updated }
            }}
          }
        </p>
        @if (r.municipalityNames; as count) {
          <p class="muted" data-testid="import-names">
            {{ (count === 1 ? 'import.namesOne' : 'import.names') | translate: { count } }}
          </p>
        }
      } @else {
        <section class="card warn" aria-labelledby="import-errors-title">
          <h2 id="import-errors-title" data-testid="import-result">
            {{
              'import.problems' + (r.errorCount === 1 ? 'One' : '') + (r.rows === 1 ? 'Row' : '')
                | translate: { count: r.errorCount, rows: r.rows }
            }}
          </h2>
          <div class="table-wrap">
            <table data-testid="import-errors">
              <thead>
                <tr>
                  <th scope="col">{{ 'import.row' | translate }}</th>
                  <th scope="col">{{ 'import.column' | translate }}</th>
                  <th scope="col">{{ 'import.problem' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (e of r.errors; track $index) {
                  <tr>
                    <td>{{ e.row }}</td>
                    <td>
                      <code>{{ e.column }}</code>
                    </td>
                    <td>{{ problemText(e) }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        </section>
      }
    }
  `,
})
export class ImportPage implements OnDestroy {
  private readonly api = inject(ImportsApi);
  private readonly translate = inject(TranslateService);
  private readonly languages = inject(LanguageService);
  protected readonly columns = COLUMNS;
  protected readonly kind = signal<ImportKind>('trajectories');
  protected readonly file = signal<File | null>(null);
  protected readonly busy = signal(false);
  protected readonly percent = signal(0);
  protected readonly progressLabel = signal('import.uploading');
  protected readonly progressParams = signal<Record<string, unknown>>({});
  protected readonly result = signal<ImportResult | null>(null);
  protected readonly templateBusy = signal(false);
  protected readonly templateError = signal<string | null>(null);
  protected readonly failure = signal<string | null>(null);
  private polling?: Subscription;
  protected readonly reasons = DROPOUT_REASONS;
  protected readonly municipalities = computed(() => this.auth.me()?.organisation?.municipalities ?? []);
  private readonly auth = inject(AuthStore);
  protected readonly clientTypes = toSignal(
    inject(ClientsApi)
      .clientTypes()
      .pipe(catchError(() => of([]))),
    { initialValue: [] },
  );
  /** The codes a file of the chosen kind may use, a table each (a meaning translated by key, or as named). */
  protected readonly codeLists = computed((): CodeList[] => {
    if (this.kind() === 'trajectories')
      return [
        {
          title: 'import.codesMunicipality',
          empty: '',
          rows: this.municipalities().map((m) => ({ code: m.code, text: m.name })),
        },
        {
          title: 'import.codesReason',
          empty: '',
          rows: this.reasons.map((r) => ({ code: r, key: `dropoutReasons.${r}` })),
        },
        // #26: what makes a request urgent (first meeting within 3 working days).
        { title: 'import.codesCrisis', empty: '', rows: CRISIS_KINDS.map((c) => ({ code: c, key: `crisis.${c}` })) },
      ];
    if (this.kind() === 'assessments')
      return [
        {
          title: 'import.codesClientType',
          empty: 'import.codesNoTypes',
          rows: this.clientTypes().map((t) => ({ code: t.code, text: t.name })),
        },
      ];
    return [];
  });

  /** A file to fill in for the chosen kind, made by the server with the organisation's own codes. */
  protected async downloadTemplate(format: 'csv' | 'xlsx'): Promise<void> {
    const kind = this.kind();
    this.templateError.set(null);
    this.templateBusy.set(true);
    try {
      saveFile(await firstValueFrom(this.api.template(kind, format)), `klantmonitor-voorbeeld-${kind}.${format}`);
    } catch (e) {
      this.templateError.set(localErrorText(e, (k, p) => this.translate.instant(k, p), 'import.templateErrors'));
    } finally {
      this.templateBusy.set(false);
    }
  }

  protected setKind(kind: ImportKind): void {
    this.kind.set(kind);
    this.result.set(null);
  }

  protected choose(event: Event): void {
    this.file.set((event.target as HTMLInputElement).files?.[0] ?? null);
    this.result.set(null);
    this.failure.set(null);
  }

  protected start(dryRun: boolean): void {
    const file = this.file();
    if (!file) return;
    const progressId = crypto.randomUUID();
    this.busy.set(true);
    this.result.set(null);
    this.failure.set(null);
    this.percent.set(0);
    this.progressLabel.set('import.uploading');
    // Upload progress comes from the browser; after that the server reports rows read.
    this.polling = interval(500)
      .pipe(switchMap(() => this.api.progress(progressId).pipe(catchError(() => EMPTY))))
      .subscribe((p) => {
        if (p.phase === 'writing') {
          this.progressLabel.set('import.writing');
          this.percent.set(95);
        } else if (p.totalBytes) {
          this.progressLabel.set('import.reading');
          this.progressParams.set({ rows: p.rowsRead });
          this.percent.set(Math.min(90, Math.round((p.bytesRead / p.totalBytes) * 90)));
        }
      });
    this.api.upload(this.kind(), file, dryRun, progressId).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress && event.total && this.progressLabel() === 'import.uploading') {
          this.percent.set(Math.round((event.loaded / event.total) * 50));
        } else if (event.type === HttpEventType.Response && event.body) {
          this.finish(event.body);
        }
      },
      error: (err: unknown) => {
        if (err instanceof HttpErrorResponse && err.status === 422 && err.error && Array.isArray(err.error.errors)) {
          this.finish(err.error as ImportResult & { errors: ImportRowError[] });
        } else {
          this.failure.set(this.failureText(err));
          this.stop();
        }
      },
    });
  }

  /** A refused file in the reader's language, by the answer's code; never the API's English. */
  private failureText(err: unknown): string {
    const e = apiError(err);
    const body = (err instanceof HttpErrorResponse ? err.error : null) as {
      code?: string;
      limit?: string;
      max?: number;
    } | null;
    const number = (n: number) =>
      new Intl.NumberFormat(this.languages.current() === 'en' ? 'en-GB' : 'nl-NL').format(n);
    if (body?.code === 'import_limit' && body.limit) {
      const max = body.limit.endsWith('Bytes')
        ? number(Math.round((body.max ?? 0) / 1024 / 1024))
        : number(body.max ?? 0);
      return this.translate.instant(`importFailures.${body.limit}`, { max }) as string;
    }
    if (e.statusCode === 413) return this.translate.instant('importFailures.fileSize', { max: number(25) }) as string;
    if (body?.code) {
      const key = `importFailures.${body.code}`;
      const text = this.translate.instant(key) as string;
      if (text !== key) return text;
    }
    return this.translate.instant(e.statusCode === 0 ? 'importFailures.offline' : 'errors.generic') as string;
  }

  /** The problem in the reader's language by its code; the API's English text when the code is new to us. */
  protected problemText(e: ImportRowError): string {
    const key = `importProblems.${e.code}`;
    const text = e.code ? (this.translate.instant(key, e.params ?? {}) as string) : key;
    return text === key ? e.message : text;
  }

  private finish(result: ImportResult): void {
    this.percent.set(100);
    this.result.set(result);
    this.stop();
  }

  private stop(): void {
    this.polling?.unsubscribe();
    this.busy.set(false);
  }

  ngOnDestroy(): void {
    this.polling?.unsubscribe();
  }
}
