import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { formatDate, type ClientPortalResponse } from '@klantmonitor/shared/domain';
import { QuestionnairesApi } from '@klantmonitor/dashboard/data-access';
import { LanguageService } from '@klantmonitor/dashboard/util-i18n';
import { CLIENT_PAGE_STYLES } from './client-page.styles';

type Problem = 'unknown' | 'expired' | 'linkExpired' | 'revoked' | 'busy' | 'offline';

/**
 * "Mijn traject" behind /mijn/<token>: a client sees, on the phone, which steps they have taken
 * (with dates), what the next step means and what they can do for it, their spaartegoed and how it
 * is paid, and a button for an open questionnaire. No account; Dutch first, English one tap away.
 * The page shows nothing personal beyond progress (the API gives nothing more).
 */
@Component({
  selector: 'km-portal-page',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [
    CLIENT_PAGE_STYLES,
    `
      .card {
        margin-bottom: 1rem;
      }
      h1 {
        font-size: 1.5rem;
        margin: 0 0 0.5rem;
        line-height: 1.3;
      }
      h2 {
        font-size: 1.2rem;
        margin: 0 0 0.75rem;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        gap: 0.75rem;
        align-items: flex-start;
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--km-line);
      }
      li:last-child {
        border-bottom: 0;
      }
      .mark {
        flex: none;
        width: 1.8rem;
        height: 1.8rem;
        border-radius: 50%;
        display: flex;
        align-items: center;
        justify-content: center;
        font-weight: 700;
        border: 2px solid var(--km-line);
        color: var(--km-muted);
        background: #fff;
      }
      .done .mark {
        background: var(--km-green);
        border-color: var(--km-green);
        color: #fff;
      }
      .label {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .when {
        display: block;
        color: var(--km-muted);
        font-size: 0.95rem;
      }
      .next {
        border-left: 4px solid var(--km-blue);
      }
      .amount {
        font-size: 1.25rem;
        font-weight: 700;
        color: var(--km-green);
      }
      .button {
        display: block;
        text-align: center;
        min-height: 3rem;
        line-height: 3rem;
        font-size: 1.1rem;
        font-weight: 700;
        border-radius: var(--km-radius);
        background: var(--km-blue-dark);
        color: #fff;
        text-decoration: none;
      }
      .button:focus-visible {
        outline: 3px solid var(--km-blue-dark);
        outline-offset: 3px;
      }
    `,
  ],
  template: `
    <main id="inhoud" class="portal">
      <div class="top">
        <span class="org">{{ data()?.organisation?.name ?? 'Klantmonitor' }}</span>
        <button
          type="button"
          class="link"
          (click)="toggleLanguage()"
          [attr.lang]="otherLanguage()"
          data-testid="portal-language"
        >
          {{ 'lang.' + otherLanguage() | translate }}
        </button>
      </div>

      @if (problem(); as p) {
        <section class="card" data-testid="portal-problem" [attr.data-problem]="p">
          <h1>{{ problemKey(p) + '.title' | translate }}</h1>
          <p>{{ problemKey(p) + '.text' | translate }}</p>
        </section>
      } @else if (data(); as d) {
        <h1>{{ 'portal.title' | translate }}</h1>
        <p>{{ 'portal.intro' | translate: { organisation: d.organisation.name } }}</p>

        @if (d.openQuestionnaire; as q) {
          <section class="card" data-testid="portal-questionnaire" aria-labelledby="portal-q">
            <h2 id="portal-q">{{ 'portal.questionnaire' | translate }}</h2>
            <p>{{ 'portal.questionnaireText' | translate }}</p>
            <a class="button" [href]="q.url">{{ 'portal.questionnaireButton' | translate }}</a>
          </section>
        }

        <section class="card" aria-labelledby="portal-steps">
          <h2 id="portal-steps">{{ 'portal.steps' | translate }}</h2>
          <ol data-testid="portal-steps">
            @for (s of d.steps; track s.code; let i = $index) {
              <li [class.done]="s.reachedOn" [attr.data-step]="s.code">
                <span class="mark" aria-hidden="true">{{ s.reachedOn ? '✓' : i + 1 }}</span>
                <span>
                  <span class="label">{{ s.label }}</span>
                  <span class="when">
                    <span class="visually-hidden"
                      >{{ (s.reachedOn ? 'portal.stepDone' : 'portal.stepOpen') | translate }}:
                    </span>
                    @if (s.reachedOn) {
                      {{ 'portal.reachedOn' | translate: { date: day(s.reachedOn) } }}
                    } @else {
                      {{ 'portal.notYet' | translate }}
                    }
                  </span>
                </span>
              </li>
            }
          </ol>
        </section>

        <section class="card next" data-testid="portal-next" aria-labelledby="portal-next-title">
          <h2 id="portal-next-title">{{ 'portal.next' | translate }}</h2>
          @if (d.nextStep; as n) {
            <p class="label">{{ n.label }}</p>
            <p>{{ n.explanation }}</p>
          } @else if (d.status === 'open') {
            <p>{{ 'portal.allDone' | translate }}</p>
          } @else {
            <p>{{ 'portal.ended' | translate: { organisation: d.organisation.name } }}</p>
          }
        </section>

        <section class="card" data-testid="portal-spaartegoed" aria-labelledby="portal-credit">
          <h2 id="portal-credit">{{ 'portal.spaartegoed' | translate }}</h2>
          <p class="amount">{{ 'portal.balance' | translate: { amount: money(d.spaartegoed.balance) } }}</p>
          @if (d.spaartegoed.howPaid) {
            <p>
              <strong>{{ 'portal.howPaid' | translate }}</strong> {{ d.spaartegoed.howPaid }}
            </p>
          } @else {
            <p>{{ 'portal.howPaidAsk' | translate }}</p>
          }
        </section>

        <section class="card" data-testid="portal-contact" aria-labelledby="portal-contact-title">
          <h2 id="portal-contact-title">{{ 'portal.contact' | translate }}</h2>
          <p>{{ 'portal.contactIntro' | translate: { organisation: d.organisation.name } }}</p>
          @if (d.organisation.phone; as phone) {
            <p class="contact-phone">
              {{ 'portal.phone' | translate }} <a [href]="'tel:' + telLink(phone)">{{ phone }}</a>
            </p>
          }
          @if (d.organisation.openingHours; as hours) {
            <p>{{ 'portal.hours' | translate }} {{ hours }}</p>
          }
          @if (!d.organisation.phone && !d.organisation.openingHours) {
            <p>{{ 'portal.contactAsk' | translate }}</p>
          }
        </section>
      } @else {
        <p role="status">{{ 'portal.loading' | translate }}</p>
      }
    </main>
  `,
})
export class PortalPage implements OnInit {
  readonly token = input.required<string>();
  private readonly api = inject(QuestionnairesApi);
  protected readonly languages = inject(LanguageService);

  protected readonly data = signal<ClientPortalResponse | null>(null);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly otherLanguage = computed(() => (this.languages.current() === 'nl' ? 'en' : 'nl'));

  ngOnInit(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.data.set(await firstValueFrom(this.api.portal(this.token(), this.languages.current())));
      this.problem.set(null);
    } catch (e) {
      this.problem.set(this.problemOf(e));
    }
  }

  private problemOf(e: unknown): Problem {
    if (!(e instanceof HttpErrorResponse)) return 'offline';
    if (e.status === 404) return 'unknown';
    if (e.status === 410) {
      // Why the link stopped: the trajectory ended long ago, the link itself is old, or it was withdrawn.
      const reason = (e.error as { reason?: string } | null)?.reason;
      return reason === 'revoked' ? 'revoked' : reason === 'link_expired' ? 'linkExpired' : 'expired';
    }
    if (e.status === 429) return 'busy';
    return 'offline';
  }

  /** An unknown link and too many tries read as on the questionnaire page; the rest are the page's own. */
  protected problemKey(p: Problem): string {
    return p === 'unknown' || p === 'busy' ? `respond.problem.${p}` : `portal.problem.${p}`;
  }

  protected money(amount: number): string {
    return new Intl.NumberFormat(this.languages.current() === 'en' ? 'en-GB' : 'nl-NL', {
      style: 'currency',
      currency: 'EUR',
    }).format(amount);
  }

  /** "058 123 45 67" -> "0581234567" for the tel: link (the page shows it as written). */
  protected telLink(phone: string): string {
    return phone.replace(/[^\d+]/g, '');
  }

  protected day(iso: string): string {
    return formatDate(iso, 'sentence', this.languages.current());
  }

  protected async toggleLanguage(): Promise<void> {
    await this.languages.use(this.otherLanguage());
    // The step texts come in the chosen language from the API.
    if (this.data()) await this.load();
  }
}
