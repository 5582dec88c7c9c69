import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal } from '@angular/core';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { DEFAULT_INTAKE_ITEMS, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { apiError, ClientsApi, type IntakeAnswersLatest } from '@klantmonitor/dashboard/data-access';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';

/**
 * The intake questions on the client page (the default instrument, docs/product.md): one statement at a
 * time, so it works on a phone handed to the client; every statement may be skipped; a summary
 * before saving. With an active segmentation model the answer says which client type follows.
 */
@Component({
  selector: 'km-intake-form',
  imports: [TranslatePipe, KmDatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .scale {
      display: grid;
      gap: 0.4rem;
      border: 0;
      padding: 0;
      margin: 0.75rem 0;
    }
    .scale legend {
      font-weight: 600;
      margin-bottom: 0.5rem;
      overflow-wrap: anywhere;
    }
    .scale label {
      display: flex;
      gap: 0.6rem;
      align-items: center;
      border: 1px solid #c9d3dd;
      border-radius: 6px;
      padding: 0.55rem 0.7rem;
      cursor: pointer;
      min-height: 44px;
      box-sizing: border-box;
    }
    .scale label:has(input:checked) {
      border-color: #1f5f99;
      background: #eaf2fa;
    }
    progress {
      width: 100%;
    }
  `,
  template: `
    <section class="card" aria-labelledby="intake-title" data-testid="intake">
      <h2 id="intake-title">{{ 'intake.title' | translate }}</h2>
      @if (step() === null) {
        @if (latest(); as l) {
          <p data-testid="intake-latest">
            {{
              'intake.latest'
                | translate
                  : {
                      date: (l.answeredOn | kmDate),
                      n: count(l.answers),
                      total: items.length,
                    }
            }}
          </p>
        } @else if (loaded()) {
          <p class="muted" data-testid="intake-none">
            {{ 'intake.none' | translate }}
          </p>
        }
        @if (notice()) {
          <p class="notice" role="status" data-testid="intake-notice">
            {{ notice() }}
          </p>
        }
        <button type="button" class="primary" (click)="begin()" data-testid="intake-begin">
          {{ 'intake.begin' | translate }}
        </button>
      } @else if (step()! < items.length) {
        @let item = items[step()!];
        <p id="intake-progress-label">
          {{ 'intake.progress' | translate: { n: step()! + 1, total: items.length } }}
        </p>
        <progress [value]="step()! + 1" [max]="items.length" aria-labelledby="intake-progress-label"></progress>
        <form (submit)="$event.preventDefault(); next()">
          <fieldset class="scale">
            <legend>
              <span class="muted">{{ 'intake.lead.' + item.scale | translate }}</span
              ><br />
              <span data-testid="intake-statement">{{ item.nl }}</span>
            </legend>
            @for (v of values; track v) {
              <label>
                <input
                  type="radio"
                  name="intake-answer"
                  [value]="v"
                  [checked]="answers()[item.code] === v"
                  (change)="answer(item.code, v)"
                />
                <span>{{ v }} – {{ 'intake.scale.' + item.scale + '.' + v | translate }}</span>
              </label>
            }
          </fieldset>
          <div class="button-row">
            <button type="button" (click)="back()" [disabled]="step() === 0">
              {{ 'intake.previous' | translate }}
            </button>
            <button type="submit" class="primary" data-testid="intake-next">
              {{ (answers()[item.code] ? 'intake.next' : 'intake.skip') | translate }}
            </button>
            <button type="button" class="link" (click)="stop()">
              {{ 'intake.stop' | translate }}
            </button>
          </div>
        </form>
      } @else {
        <p data-testid="intake-summary">
          {{ 'intake.summary' | translate: { n: answeredCount(), total: items.length } }}
        </p>
        <form (submit)="$event.preventDefault(); save()" novalidate>
          <label for="intake-date">{{ 'intake.date' | translate }}</label>
          <input
            id="intake-date"
            type="date"
            [max]="today"
            [value]="date()"
            (input)="date.set($any($event.target).value)"
          />
          <div class="button-row">
            <button type="button" (click)="back()">
              {{ 'intake.previous' | translate }}
            </button>
            <button type="submit" class="primary" [disabled]="busy()" data-testid="intake-save">
              {{ 'intake.save' | translate }}
            </button>
            <button type="button" class="link" (click)="stop()">
              {{ 'intake.stop' | translate }}
            </button>
          </div>
          @if (error()) {
            <p class="error" role="alert" data-testid="intake-error">
              {{ error() }}
            </p>
          }
        </form>
      }
    </section>
  `,
})
export class IntakeForm {
  readonly clientId = input.required<string>();
  /** After a save: the client page reloads (a new client type shows in its header). */
  readonly saved = output<void>();
  private readonly api = inject(ClientsApi);
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  protected readonly items = DEFAULT_INTAKE_ITEMS;
  protected readonly values = [1, 2, 3, 4, 5];
  protected readonly today = todayInAmsterdam();
  protected readonly latest = signal<IntakeAnswersLatest['latest']>(null);
  protected readonly loaded = signal(false);
  /** null: not answering; 0..n-1: the statement shown; n: the summary. */
  protected readonly step = signal<number | null>(null);
  protected readonly answers = signal<Record<string, number>>({});
  protected readonly date = signal(this.today);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly answeredCount = computed(() => this.count(this.answers()));

  constructor() {
    effect(() => void this.load(this.clientId()));
  }

  protected count(answers: Record<string, number>): number {
    return Object.values(answers).filter((v) => typeof v === 'number').length;
  }

  protected begin(): void {
    this.answers.set({});
    this.date.set(this.today);
    this.error.set(null);
    this.notice.set(null);
    this.step.set(0);
  }

  protected answer(code: string, value: number): void {
    this.answers.update((a) => ({ ...a, [code]: value }));
  }

  protected next(): void {
    this.step.update((s) => (s ?? 0) + 1);
  }

  protected back(): void {
    this.step.update((s) => Math.max(0, (s ?? 0) - 1));
  }

  /** Stopping throws away what was answered: ask first when there is something to lose. */
  protected async stop(): Promise<void> {
    if (
      this.answeredCount() > 0 &&
      !(await this.confirm.action('intakeStop', this.translate.instant('intake.stopConfirm'), { danger: true }))
    )
      return;
    this.step.set(null);
  }

  protected async save(): Promise<void> {
    this.error.set(null);
    if (this.answeredCount() === 0) {
      this.error.set(this.translate.instant('intake.nothing'));
      return;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(this.date()) || this.date() > this.today) {
      this.error.set(this.translate.instant('intake.badDate'));
      return;
    }
    this.busy.set(true);
    try {
      const r = await firstValueFrom(
        this.api.saveIntakeAnswers(this.clientId(), {
          answeredOn: this.date(),
          answers: this.answers(),
        }),
      );
      this.step.set(null);
      this.notice.set(
        r.clientType
          ? this.translate.instant('intake.savedWithType', {
              n: r.answered,
              type: r.clientType.name,
            })
          : this.translate.instant('intake.saved', { n: r.answered }),
      );
      await this.load(this.clientId());
      this.saved.emit();
    } catch (e) {
      const err = apiError(e);
      const field = err.details?.[0]?.field ?? '';
      this.error.set(
        this.translate.instant(
          err.statusCode === 0
            ? 'login.unreachable'
            : field === 'answeredOn'
              ? 'intake.badDate'
              : field.startsWith('answers')
                ? 'intake.badAnswers'
                : err.statusCode === 404
                  ? 'intake.notFound'
                  : 'errors.generic',
        ),
      );
    } finally {
      this.busy.set(false);
    }
  }

  private async load(id: string): Promise<void> {
    try {
      this.latest.set((await firstValueFrom(this.api.intakeAnswers(id))).latest);
    } catch {
      this.latest.set(null);
    } finally {
      this.loaded.set(true);
    }
  }
}
