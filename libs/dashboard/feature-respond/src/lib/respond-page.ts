import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
  OnInit,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { formatDate, type RespondQuestionnaireResponse, type RespondResult } from '@klantmonitor/shared/domain';
import { QuestionnairesApi } from '@klantmonitor/dashboard/data-access';
import { LanguageService } from '@klantmonitor/dashboard/util-i18n';
import { CLIENT_PAGE_STYLES } from './client-page.styles';

type Problem = 'unknown' | 'expired' | 'completed' | 'busy' | 'offline';

const euro = (amount: number, lang: 'nl' | 'en') =>
  new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { style: 'currency', currency: 'EUR' }).format(amount);

/**
 * The client's questionnaire behind /v/<token>: no account, one question per screen with a
 * progress bar, big tap targets, Dutch first (English one tap away). Answers stay in the page
 * until sent; a refused answer brings the client back to the question it is about.
 */
@Component({
  selector: 'km-respond-page',
  imports: [TranslatePipe, FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [
    CLIENT_PAGE_STYLES,
    `
      h1 {
        font-size: 1.4rem;
        margin: 0 0 0.5rem;
        line-height: 1.3;
      }
      .progress-label {
        margin: 0 0 0.25rem;
        color: var(--km-muted);
      }
      progress {
        width: 100%;
        height: 0.75rem;
        accent-color: var(--km-blue);
        margin-bottom: 1rem;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
      }
      legend {
        font-size: 1.3rem;
        font-weight: 700;
        line-height: 1.35;
        margin-bottom: 1rem;
        padding: 0;
      }
      .options {
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
      }
      .option {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        min-height: 3.25rem;
        padding: 0.5rem 0.9rem;
        border: 2px solid var(--km-line);
        border-radius: var(--km-radius);
        background: #fff;
        cursor: pointer;
        font-size: 1.1rem;
      }
      .option:has(input:checked) {
        border-color: var(--km-blue);
        background: #e8f1f8;
      }
      .option:has(input:focus-visible) {
        outline: 3px solid var(--km-blue-dark);
        outline-offset: 2px;
      }
      .option input {
        width: 1.4rem;
        height: 1.4rem;
        margin: 0;
        accent-color: var(--km-blue);
        flex: none;
      }
      .num {
        font-weight: 700;
        min-width: 1.2rem;
      }
      /* Back / Volgende stay in view on a small phone (#25): stuck to the bottom of the screen
         while the question is longer than it, in their own place otherwise. */
      .nav {
        display: flex;
        gap: 0.75rem;
        margin-top: 1.25rem;
        position: sticky;
        bottom: 0;
        background: #fff;
        padding: 0.75rem 0 calc(0.75rem + env(safe-area-inset-bottom, 0px));
        box-shadow: 0 -1px 0 #d3d8de;
        z-index: 1;
      }
      .nav button {
        flex: 1;
        min-height: 3rem;
        font-size: 1.1rem;
      }
      textarea {
        width: 100%;
        min-height: 7rem;
        font: inherit;
        font-size: 1.05rem;
        padding: 0.6rem;
        box-sizing: border-box;
      }
      .credit {
        font-size: 1.25rem;
        font-weight: 700;
        color: var(--km-green);
      }
      .hint {
        color: var(--km-muted);
      }
      .error {
        color: var(--km-red);
        font-weight: 600;
      }
    `,
  ],
  template: `
    <main id="inhoud" class="respond">
      <div class="top">
        <span class="org">{{ data()?.organisation?.name ?? 'Klantmonitor' }}</span>
        <button
          type="button"
          class="link"
          (click)="toggleLanguage()"
          [attr.lang]="otherLanguage()"
          data-testid="respond-language"
        >
          {{ 'lang.' + otherLanguage() | translate }}
        </button>
      </div>

      @if (problem(); as p) {
        <section class="card" data-testid="respond-problem" [attr.data-problem]="p">
          <h1>{{ 'respond.problem.' + p + '.title' | translate }}</h1>
          <p>{{ 'respond.problem.' + p + '.text' | translate }}</p>
        </section>
      } @else if (result(); as r) {
        <section class="card" data-testid="respond-done" role="status">
          <h1 #heading tabindex="-1">{{ 'respond.thanks' | translate }}</h1>
          @if (r.spaartegoed.credited > 0) {
            <p class="credit" data-testid="respond-credited">
              {{ 'respond.credited' | translate: { amount: money(r.spaartegoed.credited) } }}
            </p>
          }
          <p data-testid="respond-balance">
            {{ 'respond.balance' | translate: { amount: money(r.spaartegoed.balance) } }}
          </p>
          @if (r.spaartegoed.payout) {
            <p data-testid="respond-payout">
              <strong>{{ 'respond.payoutLabel' | translate }}</strong> {{ r.spaartegoed.payout }}
            </p>
          } @else if (r.spaartegoed.balance > 0) {
            <p data-testid="respond-payout">{{ 'respond.payoutAsk' | translate }}</p>
          }
          <p>
            <a [href]="r.portalUrl" data-testid="respond-portal">{{ 'respond.portalLink' | translate }}</a>
          </p>
          <p class="hint">{{ 'respond.closeNow' | translate }}</p>
        </section>
      } @else if (data(); as d) {
        <section class="card">
          @if (step() === -1) {
            <h1 #heading tabindex="-1">{{ d.questionnaire.title }}</h1>
            <!-- The questions counted as the invitation counts them: the scale questions; the comment is extra (#25). -->
            <p data-testid="respond-intro">{{ 'respond.intro' | translate: { count: total() - 1 } }}</p>
            @if (d.spaartegoed.perResponse > 0) {
              <p class="credit">{{ 'respond.earn' | translate: { amount: money(d.spaartegoed.perResponse) } }}</p>
              @if (d.spaartegoed.payout) {
                <p>
                  <strong>{{ 'respond.payoutLabel' | translate }}</strong> {{ d.spaartegoed.payout }}
                </p>
              }
            }
            <p class="hint">{{ 'respond.until' | translate: { date: day(d.expiresAt) } }}</p>
            <div class="nav">
              <button type="button" class="primary" (click)="go(0)" data-testid="respond-start">
                {{ 'respond.start' | translate }}
              </button>
            </div>
          } @else if (step() < d.questionnaire.items.length) {
            @let item = d.questionnaire.items[step()];
            <p class="progress-label" id="progress-label">
              {{ 'respond.progress' | translate: { n: step() + 1, total: total() } }}
            </p>
            <progress [value]="step() + 1" [max]="total()" aria-labelledby="progress-label"></progress>
            <fieldset [attr.aria-describedby]="error() ? 'respond-error' : null">
              <legend #heading tabindex="-1" data-testid="respond-question">{{ item.text }}</legend>
              <div class="options">
                @for (v of values(item.scale.min, item.scale.max); track v) {
                  <label class="option">
                    <input
                      type="radio"
                      [name]="item.code"
                      [value]="v"
                      [checked]="answers()[item.code] === v"
                      (change)="choose(item.code, v)"
                    />
                    <span class="num">{{ v }}</span>
                    @if (v === item.scale.min) {
                      <span>{{ item.scale.low }}</span>
                    }
                    @if (v === item.scale.max) {
                      <span>{{ item.scale.high }}</span>
                    }
                  </label>
                }
              </div>
            </fieldset>
            @if (error()) {
              <p class="error" id="respond-error" role="alert">{{ error() }}</p>
            }
            <div class="nav">
              <button type="button" (click)="go(step() - 1)" [disabled]="step() === 0">
                {{ 'respond.back' | translate }}
              </button>
              <button type="button" class="primary" (click)="next(item.code, item.required)" data-testid="respond-next">
                {{ 'respond.next' | translate }}
              </button>
            </div>
          } @else {
            <p class="progress-label" id="progress-label">
              {{ 'respond.progress' | translate: { n: total(), total: total() } }}
            </p>
            <progress [value]="total()" [max]="total()" aria-labelledby="progress-label"></progress>
            <label for="comment"
              ><h1 #heading tabindex="-1" class="as-label">{{ 'respond.comment' | translate }}</h1></label
            >
            <p class="hint" id="comment-hint">{{ 'respond.commentHint' | translate }}</p>
            <textarea
              id="comment"
              [attr.aria-describedby]="
                'comment-hint' + (commentNearLimit() ? ' comment-count' : '') + (error() ? ' comment-error' : '')
              "
              [attr.aria-invalid]="commentTooLong() ? 'true' : null"
              [ngModel]="comment()"
              (ngModelChange)="comment.set($event)"
            ></textarea>
            @if (commentNearLimit()) {
              <p class="hint" id="comment-count" aria-live="polite">
                @if (commentTooLong()) {
                  {{
                    'forms.counterOver'
                      | translate
                        : {
                            over: comment().length - d.questionnaire.commentMaxLength,
                            max: d.questionnaire.commentMaxLength,
                          }
                  }}
                } @else {
                  {{
                    'forms.counterLeft'
                      | translate
                        : {
                            left: d.questionnaire.commentMaxLength - comment().length,
                            max: d.questionnaire.commentMaxLength,
                          }
                  }}
                }
              </p>
            }
            @if (error()) {
              <p class="error" id="comment-error" role="alert">{{ error() }}</p>
            }
            <div class="nav">
              <button type="button" (click)="go(step() - 1)">{{ 'respond.back' | translate }}</button>
              <button type="button" class="primary" (click)="send()" [disabled]="sending()" data-testid="respond-send">
                {{ (sending() ? 'respond.sending' : 'respond.send') | translate }}
              </button>
            </div>
          }
        </section>
      } @else {
        <p role="status">{{ 'respond.loading' | translate }}</p>
      }
    </main>
  `,
})
export class RespondPage implements OnInit {
  readonly token = input.required<string>();
  private readonly api = inject(QuestionnairesApi);
  protected readonly languages = inject(LanguageService);
  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');

  protected readonly data = signal<RespondQuestionnaireResponse | null>(null);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly result = signal<RespondResult | null>(null);
  /** -1: the welcome screen; 0..n-1 the questions; n the comment. */
  protected readonly step = signal(-1);
  protected readonly answers = signal<Record<string, number>>({});
  private readonly translate = inject(TranslateService);
  protected readonly comment = signal('');
  private readonly commentMax = computed(() => this.data()?.questionnaire.commentMaxLength ?? 1000);
  /** A counter from 80% of the limit on; longer than the limit is said, never cut (#25). */
  protected readonly commentNearLimit = computed(() => this.comment().length >= Math.floor(this.commentMax() * 0.8));
  protected readonly commentTooLong = computed(() => this.comment().length > this.commentMax());
  protected readonly error = signal<string | null>(null);
  protected readonly sending = signal(false);
  protected readonly total = computed(() => (this.data()?.questionnaire.items.length ?? 0) + 1);
  protected readonly otherLanguage = computed(() => (this.languages.current() === 'nl' ? 'en' : 'nl'));

  ngOnInit(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.data.set(await firstValueFrom(this.api.questionnaire(this.token(), this.languages.current())));
    } catch (e) {
      this.problem.set(this.problemOf(e));
    }
  }

  private problemOf(e: unknown): Problem {
    if (!(e instanceof HttpErrorResponse)) return 'offline';
    if (e.status === 404) return 'unknown';
    if (e.status === 410)
      return (e.error as { reason?: string } | null)?.reason === 'completed' ? 'completed' : 'expired';
    if (e.status === 429) return 'busy';
    return 'offline';
  }

  protected values(min: number, max: number): number[] {
    return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }

  protected money(amount: number): string {
    return euro(amount, this.languages.current());
  }

  protected day(iso: string): string {
    return formatDate(iso, 'sentence', this.languages.current());
  }

  protected choose(code: string, value: number): void {
    this.answers.update((a) => ({ ...a, [code]: value }));
    this.error.set(null);
  }

  protected next(code: string, required: boolean): void {
    if (required && this.answers()[code] === undefined) {
      this.error.set(
        this.languages.current() === 'en' ? 'Choose an answer to go on.' : 'Kies een antwoord om verder te gaan.',
      );
      return;
    }
    this.go(this.step() + 1);
  }

  protected go(step: number): void {
    this.error.set(null);
    this.step.set(Math.max(-1, step));
    // Move focus to the new question, so screen readers read it and keyboard users start there.
    setTimeout(() => this.heading()?.nativeElement.focus(), 0);
  }

  protected async send(): Promise<void> {
    const d = this.data();
    if (!d) return;
    if (this.commentTooLong()) {
      this.error.set(this.translate.instant('respond.commentTooLong', { max: this.commentMax() }));
      return;
    }
    this.sending.set(true);
    this.error.set(null);
    try {
      const comment = this.comment().trim();
      this.result.set(
        await firstValueFrom(
          this.api.respond(this.token(), { answers: this.answers(), ...(comment ? { comment } : {}) }),
        ),
      );
      setTimeout(() => this.heading()?.nativeElement.focus(), 0);
    } catch (e) {
      if (e instanceof HttpErrorResponse && e.status === 400) {
        // Back to the first question the API named.
        const field = (e.error as { details?: { field: string }[] } | null)?.details?.[0]?.field ?? '';
        const at = d.questionnaire.items.findIndex((i) => field === `answers.${i.code}`);
        this.error.set(
          this.languages.current() === 'en' ? 'Please check this answer.' : 'Kijk dit antwoord nog even na.',
        );
        if (at >= 0) this.step.set(at);
      } else {
        this.problem.set(this.problemOf(e));
      }
    } finally {
      this.sending.set(false);
    }
  }

  protected async toggleLanguage(): Promise<void> {
    await this.languages.use(this.otherLanguage());
    // Questions come in the chosen language from the API; answers given so far stay.
    if (this.data() && !this.result()) {
      try {
        this.data.set(await firstValueFrom(this.api.questionnaire(this.token(), this.languages.current())));
      } catch (e) {
        this.problem.set(this.problemOf(e));
      }
    }
  }
}
