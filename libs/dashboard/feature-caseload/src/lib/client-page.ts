import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom, Observable } from 'rxjs';
import {
  BIRTH_YEAR_BANDS,
  CLOSE_REASONS,
  DROPOUT_REASONS,
  HOUSEHOLD_TYPES,
  INCOME_BANDS,
  SERVICE_KINDS,
  STEP_CODES,
  SUPPORT_CHANNELS,
  SUPPORT_TYPES,
  TEXT_LIMITS,
  formatDate,
  todayInAmsterdam,
  type ClientDetail,
  type CounselorView,
  type ServiceKind,
  type StepCode,
  type UpdateClientRequest,
} from '@klantmonitor/shared/domain';
import { apiError, ClientsApi, QuestionnairesApi } from '@klantmonitor/dashboard/data-access';
import { answerTrends } from './answer-trends';
import { IntakeForm } from './intake-form';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';

interface TimelineEntry {
  date: string;
  text: string;
  withdrawn?: boolean;
  kind: 'start' | 'step' | 'support' | 'dropout' | 'assessment' | 'activity';
  /** Who recorded it (null: an import) and when; absent where nothing says. */
  by?: string | null;
  at?: string;
  note?: string | null;
}

/** History entries that are not already on the timeline as an event of their own. */
const ACTIVITY_SHOWN = [
  'client.update',
  'step.withdraw',
  'trajectory.close',
  'trajectory.reopen',
  'trajectory.reassign',
  'service.start',
  'service.end',
  'alert.resolve',
];

/** One client: steps with their dates, quick actions (step, support, dropout) and a timeline. */
@Component({
  selector: 'km-client-page',
  imports: [RouterLink, ReactiveFormsModule, TranslatePipe, KmDatePipe, IntakeForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>
      <a routerLink="/clienten">← {{ 'client.back' | translate }}</a>
    </p>
    @if (error()) {
      <p class="error" role="alert" data-testid="client-error">{{ error() }}</p>
    }
    @if (client(); as c) {
      <h1>{{ 'client.title' | translate: { ref: c.clientRef } }}</h1>
      <p class="lead">
        {{
          'client.since'
            | translate
              : { date: (c.trajectory.firstContact | kmDate), municipality: c.trajectory.municipality.name }
        }}
        · <span class="tag" data-testid="client-status">{{ 'status.' + c.trajectory.status | translate }}</span>
        @if (c.assessments.length) {
          · {{ c.assessments[c.assessments.length - 1].clientType.name }}
        }
        · {{ 'client.caseholder' | translate }}:
        <span data-testid="client-caseholder">{{ c.trajectory.counselor?.name ?? ('client.nobody' | translate) }}</span>
      </p>
      @if (c.alerts.length) {
        <section class="card warn" aria-labelledby="alerts-title">
          <h2 id="alerts-title">{{ 'client.alerts' | translate }}</h2>
          <ul>
            @for (a of c.alerts; track a.id) {
              <li data-testid="alert" [attr.data-kind]="a.kind">
                @switch (a.kind) {
                  @case ('stalled') {
                    {{ 'client.alertStalled' | translate: { date: (a.raisedOn | kmDate) } }}
                  }
                  @case ('low_experience') {
                    {{
                      'questionnaires.alertLow'
                        | translate: { date: (a.raisedOn | kmDate), signals: signalsText(a.details) }
                    }}
                  }
                  @case ('unanswered') {
                    {{ 'questionnaires.alertUnanswered' | translate: { date: (a.raisedOn | kmDate) } }}
                  }
                }
                @if (a.kind !== 'stalled') {
                  <button type="button" class="link" (click)="resolveAlert(a.id)">
                    {{ 'questionnaires.resolve' | translate }}
                  </button>
                }
              </li>
            }
          </ul>
          @if (feedbackFor() === 'alert') {
            @if (notice()) {
              <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
            }
            @if (formError()) {
              <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
            }
          }
        </section>
      }

      <div class="client-grid">
        <section class="card" aria-labelledby="steps-title">
          <h2 id="steps-title">{{ 'client.steps' | translate }}</h2>
          <ol class="steps" data-testid="steps">
            @for (s of steps; track s) {
              <li [class.done]="c.trajectory.steps[s]">
                <span class="step-mark" aria-hidden="true">{{ c.trajectory.steps[s] ? '✓' : '○' }}</span>
                <span class="step-name">{{ 'steps.' + s | translate }}</span>
                @if (c.trajectory.steps[s]; as date) {
                  <span class="step-date">{{ date | kmDate }}</span>
                  @if (s !== 'first_contact' && !standing()[s]) {
                    <span class="muted">({{ 'client.inferred' | translate }})</span>
                  }
                  @if (standing()[s] && c.trajectory.status === 'open') {
                    <button
                      type="button"
                      class="link"
                      (click)="withdraw(s)"
                      [attr.aria-label]="('client.withdraw' | translate) + ': ' + ('steps.' + s | translate)"
                    >
                      {{ 'client.withdraw' | translate }}
                    </button>
                  }
                }
              </li>
            }
          </ol>
          @if (feedbackFor() === 'withdraw') {
            @if (notice()) {
              <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
            }
            @if (formError()) {
              <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
            }
          }
        </section>

        <section class="card" aria-labelledby="services-title">
          <h2 id="services-title">{{ 'client.services' | translate }}</h2>
          @if (c.services.length) {
            <ul class="services" data-testid="services">
              @for (sv of c.services; track sv.id) {
                <li>
                  <span>{{ 'services.' + sv.kind | translate }}</span>
                  <span class="muted">
                    {{ sv.startedOn | kmDate }} –
                    @if (sv.endedOn) {
                      {{ sv.endedOn | kmDate }}
                    } @else {
                      {{ 'client.running' | translate }}
                    }
                  </span>
                  @if (!sv.endedOn && c.trajectory.status === 'open') {
                    <span class="button-row">
                      <label class="visually-hidden" [for]="'end-' + sv.id">{{
                        'client.endDateOf' | translate: { service: ('services.' + sv.kind | translate) }
                      }}</label>
                      <input
                        [id]="'end-' + sv.id"
                        type="date"
                        [min]="sv.startedOn"
                        [max]="today"
                        [value]="endDates()[sv.id] ?? today"
                        (input)="setEndDate(sv.id, $any($event.target).value)"
                      />
                      <button type="button" class="link" (click)="endService(sv.id, sv.kind)">
                        {{ 'client.endService' | translate }}
                      </button>
                    </span>
                  }
                </li>
              }
            </ul>
          } @else {
            <p class="muted">{{ 'client.noServices' | translate }}</p>
          }
          @if (c.trajectory.status === 'open') {
            <form [formGroup]="serviceForm" (ngSubmit)="startService()">
              <label for="service-kind">{{ 'client.startService' | translate }}</label>
              <select id="service-kind" formControlName="kind">
                @for (k of serviceKinds; track k) {
                  <option [value]="k">{{ 'services.' + k | translate }}</option>
                }
              </select>
              <label for="service-start">{{ 'client.startedOn' | translate }}</label>
              <input
                id="service-start"
                type="date"
                formControlName="startedOn"
                [max]="today"
                [min]="c.trajectory.firstContact"
                required
              />
              <button type="submit" class="primary" [disabled]="busy()">{{ 'client.save' | translate }}</button>
            </form>
          }
          @if (feedbackFor() === 'service') {
            @if (notice()) {
              <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
            }
            @if (formError()) {
              <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
            }
          }
        </section>

        <section class="card" aria-labelledby="contact-title">
          <h2 id="contact-title">{{ 'client.contact' | translate }}</h2>
          @if (editing()) {
            <form [formGroup]="detailsForm" (ngSubmit)="saveDetails()" data-testid="details-form">
              <label for="d-email">{{ 'client.email' | translate }}</label>
              <input id="d-email" type="email" formControlName="email" maxlength="254" autocomplete="off" />
              <label for="d-phone">{{ 'client.phone' | translate }}</label>
              <input id="d-phone" type="tel" formControlName="phone" maxlength="20" autocomplete="off" />
              <label for="d-household">{{ 'newClient.householdType' | translate }}</label>
              <select id="d-household" formControlName="householdType">
                <option value="">{{ 'newClient.unknown' | translate }}</option>
                @for (h of households; track h) {
                  <option [value]="h">{{ 'households.' + h | translate }}</option>
                }
              </select>
              <label for="d-income">{{ 'newClient.incomeBand' | translate }}</label>
              <select id="d-income" formControlName="incomeBand">
                <option value="">{{ 'newClient.unknown' | translate }}</option>
                @for (i of incomes; track i) {
                  <option [value]="i">{{ 'incomes.' + i | translate }}</option>
                }
              </select>
              <label for="d-birth">{{ 'newClient.birthYearBand' | translate }}</label>
              <select id="d-birth" formControlName="birthYearBand">
                <option value="">{{ 'newClient.unknown' | translate }}</option>
                @for (b of birthBands; track b) {
                  <option [value]="b">{{ b }}</option>
                }
              </select>
              <div class="button-row">
                <button type="submit" class="primary" [disabled]="busy()">{{ 'client.save' | translate }}</button>
                <button type="button" class="secondary" (click)="editing.set(false)">
                  {{ 'client.cancel' | translate }}
                </button>
              </div>
            </form>
          } @else {
            @if (c.email || c.phone) {
              <dl>
                @if (c.email) {
                  <dt>{{ 'client.email' | translate }}</dt>
                  <dd>{{ c.email }}</dd>
                }
                @if (c.phone) {
                  <dt>{{ 'client.phone' | translate }}</dt>
                  <dd>{{ c.phone }}</dd>
                }
              </dl>
            } @else if (c.contactErasedAt) {
              <p class="muted" data-testid="contact-erased">
                {{ 'client.contactErased' | translate: { date: (c.contactErasedAt | kmDate) } }}
              </p>
            } @else {
              <p class="muted">{{ 'client.noContact' | translate }}</p>
            }
            <dl data-testid="intake-fields">
              <dt>{{ 'newClient.householdType' | translate }}</dt>
              <dd>
                {{
                  c.householdType ? ('households.' + c.householdType | translate) : ('newClient.unknown' | translate)
                }}
              </dd>
              <dt>{{ 'newClient.incomeBand' | translate }}</dt>
              <dd>{{ c.incomeBand ? ('incomes.' + c.incomeBand | translate) : ('newClient.unknown' | translate) }}</dd>
              <dt>{{ 'newClient.birthYearBand' | translate }}</dt>
              <dd>{{ c.birthYearBand ?? ('newClient.unknown' | translate) }}</dd>
            </dl>
            <button type="button" class="secondary" (click)="editDetails(c)" data-testid="edit-details">
              {{ 'client.editDetails' | translate }}
            </button>
          }
          @if (feedbackFor() === 'contact') {
            @if (notice()) {
              <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
            }
            @if (formError()) {
              <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
            }
          }
          <h3 id="caseholder-title">{{ 'client.caseholder' | translate }}</h3>
          @if (c.trajectory.status === 'open' && counselors().length) {
            <form class="inline-form" (submit)="$event.preventDefault(); handOver()" aria-labelledby="caseholder-title">
              <label for="hand-to">{{ 'client.handTo' | translate }}</label>
              <select
                id="hand-to"
                [value]="handTo() ?? c.trajectory.counselor?.id ?? ''"
                (change)="handTo.set($any($event.target).value)"
              >
                @if (!c.trajectory.counselor) {
                  <option value="">{{ 'client.nobody' | translate }}</option>
                }
                @for (u of counselors(); track u.id) {
                  <option [value]="u.id">{{ u.name }}</option>
                }
              </select>
              <button type="submit" class="secondary" [disabled]="busy()">{{ 'client.handOver' | translate }}</button>
            </form>
          } @else {
            <p>{{ c.trajectory.counselor?.name ?? ('client.nobody' | translate) }}</p>
          }
          @if (feedbackFor() === 'counselor') {
            @if (notice()) {
              <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
            }
            @if (formError()) {
              <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
            }
          }
          <h3>{{ 'client.spaartegoed' | translate }}</h3>
          <p data-testid="client-spaartegoed">€ {{ c.spaartegoed.balance.toFixed(2).replace('.', ',') }}</p>
        </section>
      </div>

      <section class="card" aria-labelledby="questionnaires-title" data-testid="questionnaires">
        <h2 id="questionnaires-title">{{ 'questionnaires.title' | translate }}</h2>
        @if (c.questionnaires.invitations.length) {
          <ul class="invitations">
            @for (i of c.questionnaires.invitations; track i.id) {
              <li data-testid="invitation" [attr.data-state]="i.state">
                <strong
                  >{{ 'questionnaires.wave.' + i.waveKind | translate }}
                  @if (i.waveKind === 'step') {
                    : {{ 'steps.' + i.wave.slice(5) | translate }}
                  }
                </strong>
                · <span class="tag">{{ 'questionnaires.state.' + i.state | translate }}</span>
                @if (i.sentOn) {
                  · {{ 'questionnaires.sentOn' | translate: { date: (i.sentOn | kmDate) } }}
                }
                @if (i.channel) {
                  ({{ 'questionnaires.channel.' + i.channel | translate }})
                }
                @if (i.remindedAt) {
                  · {{ 'questionnaires.reminded' | translate }}
                }
                @if (i.skipReason) {
                  · <span class="muted">{{ 'questionnaires.skip.' + i.skipReason | translate }}</span>
                }
                @if (i.state === 'failed' && i.failedReason) {
                  · <span class="muted">{{ reasonText(i.failedReason) }}</span>
                }
              </li>
            }
          </ul>
        } @else {
          <p class="muted">{{ 'questionnaires.none' | translate }}</p>
        }
        @if (c.questionnaires.responses.length) {
          <h3>{{ 'questionnaires.responses' | translate }}</h3>
          <div class="table-wrap">
            <table data-testid="responses">
              <thead>
                <tr>
                  <th scope="col">{{ 'client.date' | translate }}</th>
                  @for (code of itemCodes; track code) {
                    <th scope="col">{{ 'questionnaires.items.' + code | translate }}</th>
                  }
                  <th scope="col">{{ 'questionnaires.comment' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (r of c.questionnaires.responses; track r.id) {
                  <tr>
                    <td>
                      {{ r.respondedOn | kmDate }}<br /><span class="muted">{{
                        'steps.' + r.phase | translate
                      }}</span>
                    </td>
                    @for (code of itemCodes; track code) {
                      <td>{{ r.answers[code] ?? '–' }}</td>
                    }
                    <td>{{ r.comment ?? '' }}</td>
                  </tr>
                }
              </tbody>
              @if (trends(); as tr) {
                <tfoot>
                  <tr data-testid="responses-trend">
                    <th scope="row">{{ 'questionnaires.trend' | translate }}</th>
                    @for (code of itemCodes; track code) {
                      <td>
                        @if (tr[code]; as t) {
                          {{ t.first }} → {{ t.last }}
                          <span class="trend" [class.better]="t.kind === 'better'" [class.worse]="t.kind === 'worse'">
                            <span aria-hidden="true">{{
                              t.kind === 'better' ? '▲' : t.kind === 'worse' ? '▼' : '='
                            }}</span>
                            {{ 'questionnaires.trendKind.' + t.kind | translate }}
                          </span>
                        } @else {
                          –
                        }
                      </td>
                    }
                    <td></td>
                  </tr>
                </tfoot>
              }
            </table>
          </div>
          <p class="muted" data-testid="responses-legend">{{ 'questionnaires.legend' | translate }}</p>
        }
      </section>

      @if (c.trajectory.status === 'open') {
        <div class="actions-grid">
          <section class="card" aria-labelledby="mark-title">
            <h2 id="mark-title">{{ 'client.markStep' | translate }}</h2>
            <form [formGroup]="stepForm" (ngSubmit)="markStep()">
              <label for="mark-step">{{ 'client.stepLabel' | translate }}</label>
              <select id="mark-step" formControlName="step">
                @for (s of markable; track s) {
                  <option [value]="s">{{ 'steps.' + s | translate }}</option>
                }
              </select>
              <label for="mark-date">{{ 'client.date' | translate }}</label>
              <input
                id="mark-date"
                type="date"
                formControlName="date"
                [max]="today"
                [min]="c.trajectory.firstContact"
                required
              />
              <button type="submit" class="primary" [disabled]="busy()">{{ 'client.save' | translate }}</button>
              @if (feedbackFor() === 'step') {
                @if (notice()) {
                  <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
                }
                @if (formError()) {
                  <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
                }
              }
            </form>
          </section>
          <section class="card" aria-labelledby="support-title">
            <h2 id="support-title">{{ 'client.support' | translate }}</h2>
            <form [formGroup]="supportForm" (ngSubmit)="recordSupport()">
              <label for="support-type">{{ 'client.supportType' | translate }}</label>
              <select id="support-type" formControlName="type">
                @for (t of supportTypes; track t) {
                  <option [value]="t">{{ 'supportTypes.' + t | translate }}</option>
                }
              </select>
              <label for="support-minutes">{{ 'client.minutes' | translate }}</label>
              <input
                id="support-minutes"
                type="number"
                inputmode="numeric"
                min="1"
                max="1440"
                formControlName="minutes"
                required
              />
              <label for="support-channel">{{ 'client.channel' | translate }}</label>
              <select id="support-channel" formControlName="channel">
                @for (ch of channels; track ch) {
                  <option [value]="ch">{{ 'channels.' + ch | translate }}</option>
                }
              </select>
              <label for="support-date">{{ 'client.date' | translate }}</label>
              <input
                id="support-date"
                type="date"
                formControlName="date"
                [max]="today"
                [min]="c.trajectory.firstContact"
                required
              />
              <label for="support-note">{{ 'client.note' | translate }}</label>
              <textarea id="support-note" formControlName="note" rows="2" maxlength="1000"></textarea>
              <button type="submit" class="primary" [disabled]="busy()">{{ 'client.save' | translate }}</button>
              @if (feedbackFor() === 'support') {
                @if (notice()) {
                  <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
                }
                @if (formError()) {
                  <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
                }
              }
            </form>
          </section>
          <section class="card" aria-labelledby="dropout-title">
            <h2 id="dropout-title">{{ 'client.dropout' | translate }}</h2>
            <form [formGroup]="dropoutForm" (ngSubmit)="recordDropout()">
              <label for="dropout-reason">{{ 'client.reason' | translate }}</label>
              <select id="dropout-reason" formControlName="reason" required>
                <option value="" disabled>{{ 'client.chooseReason' | translate }}</option>
                @for (r of reasons; track r) {
                  <option [value]="r">{{ 'dropoutReasons.' + r | translate }}</option>
                }
              </select>
              <label for="dropout-date">{{ 'client.date' | translate }}</label>
              <input
                id="dropout-date"
                type="date"
                formControlName="date"
                [max]="today"
                [min]="c.trajectory.firstContact"
                required
              />
              <label for="dropout-note">{{ 'client.note' | translate }}</label>
              <textarea id="dropout-note" formControlName="note" rows="2" maxlength="1000"></textarea>
              <button type="submit" class="primary danger" [disabled]="busy()">
                {{ 'client.dropoutConfirm' | translate }}
              </button>
              @if (feedbackFor() === 'dropout') {
                @if (notice()) {
                  <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
                }
                @if (formError()) {
                  <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
                }
              }
            </form>
          </section>
          <section class="card" aria-labelledby="close-title">
            <h2 id="close-title">{{ 'client.closeTitle' | translate }}</h2>
            <p class="muted">{{ 'client.closeIntro' | translate }}</p>
            <form [formGroup]="closeForm" (ngSubmit)="closeTrajectory()">
              <label for="close-reason">{{ 'client.closeReason' | translate }}</label>
              <select id="close-reason" formControlName="reason" required>
                <option value="" disabled>{{ 'client.chooseReason' | translate }}</option>
                @for (r of closeReasons; track r) {
                  <option [value]="r">{{ 'closeReasons.' + r | translate }}</option>
                }
              </select>
              <label for="close-date">{{ 'client.date' | translate }}</label>
              <input
                id="close-date"
                type="date"
                formControlName="date"
                [max]="today"
                [min]="c.trajectory.firstContact"
                required
              />
              <button type="submit" class="primary" [disabled]="busy()">{{ 'client.close' | translate }}</button>
              @if (feedbackFor() === 'close') {
                @if (notice()) {
                  <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
                }
                @if (formError()) {
                  <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
                }
              }
            </form>
          </section>
        </div>
      } @else {
        @if (c.trajectory.closed; as closed) {
          <section class="card" aria-labelledby="closed-title">
            <h2 id="closed-title">{{ 'client.closedTitle' | translate }}</h2>
            <p data-testid="client-closed">
              {{ 'client.closedOn' | translate: { date: (closed.date | kmDate) } }}
              @if (closed.reason) {
                ({{ 'closeReasons.' + closed.reason | translate }})
              }
            </p>
            <button type="button" (click)="reopen()" [disabled]="busy()">{{ 'client.reopen' | translate }}</button>
            @if (feedbackFor() === 'reopen') {
              @if (notice()) {
                <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
              }
              @if (formError()) {
                <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
              }
            }
          </section>
        } @else {
          <p class="muted">{{ 'client.ended' | translate }}</p>
        }
      }

      <km-intake-form [clientId]="c.id" (saved)="reload()" />

      <section class="card" aria-labelledby="portal-title">
        <h2 id="portal-title">{{ 'client.portalTitle' | translate }}</h2>
        <p class="muted">{{ 'client.portalIntro' | translate }}</p>
        <button type="button" (click)="revokePortal()" [disabled]="busy()" data-testid="portal-revoke">
          {{ 'client.portalRevoke' | translate }}
        </button>
        @if (feedbackFor() === 'portal') {
          @if (notice()) {
            <p class="notice" role="status" data-testid="client-notice" tabindex="-1">{{ notice() }}</p>
          }
          @if (formError()) {
            <p class="error" role="alert" data-testid="client-error" tabindex="-1">{{ formError() }}</p>
          }
        }
      </section>

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{{ 'client.timeline' | translate }}</h2>
        <ol class="timeline" data-testid="timeline">
          @for (e of timeline(); track $index) {
            <li [class.withdrawn]="e.withdrawn" [class]="'tl-' + e.kind">
              <time [attr.datetime]="e.date">{{ e.date | kmDate }}</time>
              <span>{{ e.text }}</span>
              @if (e.withdrawn) {
                <span class="tag">{{ 'client.withdrawn' | translate }}</span>
              }
              @if (e.note) {
                <span class="tl-note">“{{ e.note }}”</span>
              }
              @if (e.by || e.at) {
                <span class="muted tl-by" data-testid="timeline-by">
                  {{
                    'client.recordedBy'
                      | translate: { name: e.by ?? ('client.import' | translate), at: (e.at | kmDate: 'dateTime') }
                  }}
                </span>
              }
            </li>
          }
        </ol>
      </section>
    } @else if (!error()) {
      <p role="status">{{ 'app.loading' | translate }}</p>
    }
  `,
})
export class ClientPage {
  readonly id = input.required<string>();
  private readonly api = inject(ClientsApi);
  private readonly questionnaires = inject(QuestionnairesApi);
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly today = todayInAmsterdam();
  protected readonly steps = STEP_CODES;
  protected readonly markable = STEP_CODES.filter((s) => s !== 'first_contact');
  protected readonly supportTypes = SUPPORT_TYPES;
  protected readonly channels = SUPPORT_CHANNELS;
  protected readonly reasons = DROPOUT_REASONS;
  protected readonly serviceKinds = SERVICE_KINDS;
  protected readonly itemCodes = [
    'onrust_financien',
    'geloof_in_oplossing',
    'geluisterd',
    'goed_geholpen',
    'weet_wat_te_doen',
  ];
  protected readonly client = signal<ClientDetail | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  /** The form a message belongs to: it is shown there, next to what was used. */
  protected readonly feedbackFor = signal<string | null>(null);
  protected readonly formError = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected readonly stepForm = this.fb.group({
    step: ['goal_known' as StepCode, Validators.required],
    date: [this.today, Validators.required],
  });
  protected readonly supportForm = this.fb.group({
    type: ['administrative', Validators.required],
    minutes: [30, [Validators.required, Validators.min(1), Validators.max(1440)]],
    channel: ['in_person', Validators.required],
    date: [this.today, Validators.required],
    note: [''],
  });
  // No reason chosen beforehand: the counselor picks one (a default would be recorded unread).
  protected readonly dropoutForm = this.fb.group({
    reason: ['', Validators.required],
    date: [this.today, Validators.required],
    note: [''],
  });
  protected readonly households = HOUSEHOLD_TYPES;
  protected readonly incomes = INCOME_BANDS;
  protected readonly birthBands = BIRTH_YEAR_BANDS;
  protected readonly editing = signal(false);
  protected readonly detailsForm = this.fb.group({
    email: [''],
    phone: [''],
    householdType: [''],
    incomeBand: [''],
    birthYearBand: [''],
  });
  /** Colleagues a client can be handed to, and the one chosen (null: the current caseholder). */
  protected readonly counselors = signal<CounselorView[]>([]);
  protected readonly handTo = signal<string | null>(null);
  protected readonly closeReasons = CLOSE_REASONS;
  protected readonly closeForm = this.fb.group({
    reason: ['', Validators.required],
    date: [this.today, Validators.required],
  });
  protected readonly serviceForm = this.fb.group({
    kind: ['budget_management' as ServiceKind, Validators.required],
    startedOn: [this.today, Validators.required],
  });

  /** Steps with a standing (not withdrawn) event: those can be withdrawn; the rest are inferred. */
  protected readonly standing = computed(() => {
    const events = this.client()?.trajectory.stepEvents ?? [];
    return Object.fromEntries(events.filter((e) => !e.withdrawnAt).map((e) => [e.step, e])) as Partial<
      Record<StepCode, unknown>
    >;
  });

  /** A small trend per item under the answers (answer-trends.ts). */
  protected readonly trends = computed(() =>
    answerTrends(this.client()?.questionnaires.responses ?? [], this.itemCodes),
  );

  protected readonly timeline = computed<TimelineEntry[]>(() => {
    const c = this.client();
    if (!c) return [];
    const t = (key: string, params?: Record<string, unknown>) => this.translate.instant(key, params) as string;
    const entries: TimelineEntry[] = [{ date: c.trajectory.firstContact, kind: 'start', text: t('client.started') }];
    const created = c.activity.find((a) => a.action === 'client.create');
    entries[0].by = created ? created.actorName : null;
    entries[0].at = created?.at ?? c.createdAt;
    for (const e of c.trajectory.stepEvents) {
      entries.push({
        date: e.date,
        kind: 'step',
        withdrawn: !!e.withdrawnAt,
        text: t('client.stepMarked', { step: t(`steps.${e.step}`) }),
        by: e.source === 'import' ? null : e.recordedByName,
        at: e.recordedAt,
      });
    }
    for (const s of c.support) {
      entries.push({
        date: s.date,
        kind: 'support',
        text: t('client.supportGiven', {
          type: t(`supportTypes.${s.type}`),
          minutes: s.minutes,
          channel: t(`channels.${s.channel}`),
        }),
        note: s.note,
        by: s.recordedByName,
        at: s.recordedAt,
      });
    }
    if (c.trajectory.dropout) {
      const reason = c.trajectory.dropout.reason ? t(`dropoutReasons.${c.trajectory.dropout.reason}`) : '';
      const recorded = c.activity.find((a) => a.action === 'trajectory.dropout');
      entries.push({
        date: c.trajectory.dropout.date,
        kind: 'dropout',
        text: t('client.droppedOut', { reason }),
        by: recorded ? recorded.actorName : null,
        at: recorded?.at,
        note: recorded?.note ?? null,
      });
    }
    for (const a of c.activity) {
      if (!ACTIVITY_SHOWN.includes(a.action)) continue;
      entries.push({
        date: a.at.slice(0, 10),
        kind: 'activity',
        text: this.activityText(a.action, a.details),
        by: a.actorName,
        at: a.at,
        note: a.note,
      });
    }
    for (const a of c.assessments)
      entries.push({ date: a.assessedOn, kind: 'assessment', text: t('client.assessed', { type: a.clientType.name }) });
    return entries.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  });

  constructor() {
    effect(() => void this.load(this.id()));
    this.api
      .counselors()
      .subscribe({ next: (list) => this.counselors.set(list), error: () => this.counselors.set([]) });
  }

  protected markStep(): Promise<void> {
    const v = this.stepForm.getRawValue();
    const conflict = this.stepOrderConflict(v.step, v.date);
    if (conflict) return Promise.resolve(this.show('step', null, conflict));
    return this.act(this.api.markStep(this.trajectoryId(), { step: v.step, date: v.date }), 'step');
  }

  /**
   * Steps keep their order: a date after a later step or before an earlier one would move that
   * step's date. Said before sending (the server refuses it too, with the same words).
   */
  private stepOrderConflict(step: StepCode, date: string): string | null {
    const c = this.client();
    if (!c) return null;
    const standing = new Map(c.trajectory.stepEvents.filter((e) => !e.withdrawnAt).map((e) => [e.step, e.date]));
    const at = STEP_CODES.indexOf(step);
    for (const other of STEP_CODES) {
      const d = standing.get(other);
      if (!d || other === step || other === 'first_contact') continue;
      const later = STEP_CODES.indexOf(other) > at;
      if ((later && d < date) || (!later && d > date))
        return this.orderText(later ? 'after_later_step' : 'before_earlier_step', other, d);
    }
    return null;
  }

  private orderText(code: string, step: string, date: string): string {
    return this.translate.instant(`client.errors.${code}`, {
      step: this.translate.instant(`steps.${step}`),
      date: formatDate(date),
    });
  }

  protected async recordSupport(): Promise<void> {
    const v = this.supportForm.getRawValue();
    await this.act(
      this.api.support(this.trajectoryId(), {
        date: v.date,
        type: v.type as never,
        minutes: Number(v.minutes),
        channel: v.channel as never,
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      }),
      'support',
    );
    if (!this.formError()) this.supportForm.controls.note.setValue('');
  }

  /** Opens the form with what is recorded now. */
  protected editDetails(c: ClientDetail): void {
    this.detailsForm.setValue({
      email: c.email ?? '',
      phone: c.phone ?? '',
      householdType: c.householdType ?? '',
      incomeBand: c.incomeBand ?? '',
      birthYearBand: c.birthYearBand ?? '',
    });
    this.editing.set(true);
    this.show('contact', null, null);
  }

  /** Sends only what changed; an emptied field is cleared (null), never silently kept. */
  protected async saveDetails(): Promise<void> {
    const c = this.client();
    if (!c) return;
    const v = this.detailsForm.getRawValue();
    const now: Record<keyof UpdateClientRequest, string> = {
      email: c.email ?? '',
      phone: c.phone ?? '',
      householdType: c.householdType ?? '',
      incomeBand: c.incomeBand ?? '',
      birthYearBand: c.birthYearBand ?? '',
    };
    const body: Record<string, string | null> = {};
    for (const k of Object.keys(now) as (keyof UpdateClientRequest)[]) {
      const typed = v[k].trim();
      if (typed !== now[k]) body[k] = typed === '' ? null : typed;
    }
    if (!Object.keys(body).length) {
      this.editing.set(false);
      return this.show('contact', this.translate.instant('client.nothingChanged'), null);
    }
    await this.act(this.api.update(c.id, body as UpdateClientRequest), 'contact');
    if (!this.formError()) this.editing.set(false);
  }

  /** Hands the client to the chosen colleague, after a question. */
  protected async handOver(): Promise<void> {
    const c = this.client();
    const to = this.handTo();
    if (!c || !to || to === c.trajectory.counselor?.id)
      return this.show('counselor', null, this.translate.instant('client.chooseColleague'));
    const name = this.counselors().find((u) => u.id === to)?.name ?? '';
    if (!(await this.confirm.action('handOver', this.translate.instant('client.handOverAsk', { ref: c.clientRef, name }))))
      return;
    await this.act(this.api.assignCounselor(c.trajectory.id, to), 'counselor');
    this.handTo.set(null);
  }

  /** A history entry in words. */
  private activityText(action: string, details: Record<string, unknown> | null): string {
    const t = (key: string, params?: Record<string, unknown>) => this.translate.instant(key, params) as string;
    switch (action) {
      case 'client.update':
        return t('client.activity.update', {
          fields: ((details?.['fields'] as string[] | undefined) ?? []).map((f) => t(`client.fields.${f}`)).join(', '),
        });
      case 'step.withdraw':
        return t('client.activity.withdraw', { step: t(`steps.${String(details?.['step'] ?? 'first_contact')}`) });
      case 'service.start':
      case 'service.end':
        return t(`client.activity.${action === 'service.start' ? 'serviceStart' : 'serviceEnd'}`, {
          service: t(`services.${String(details?.['kind'] ?? 'other')}`),
        });
      case 'trajectory.reassign': {
        const to = this.counselors().find((u) => u.id === details?.['to'])?.name;
        return to ? t('client.activity.reassignTo', { name: to }) : t('client.activity.reassign');
      }
      case 'trajectory.close':
        return t('client.activity.close');
      case 'trajectory.reopen':
        return t('client.activity.reopen');
      case 'alert.resolve':
        return t('client.activity.resolve');
      default:
        return action;
    }
  }

  protected async recordDropout(): Promise<void> {
    const v = this.dropoutForm.getRawValue();
    if (!v.reason) return this.show('dropout', null, this.translate.instant('client.chooseReasonFirst'));
    const ask = this.translate.instant('client.dropoutAsk', {
      ref: this.client()?.clientRef ?? '',
      reason: this.translate.instant(`dropoutReasons.${v.reason}`),
    });
    if (!(await this.confirm.action('dropout', ask, { danger: true }))) return;
    return this.act(
      this.api.dropout(this.trajectoryId(), {
        date: v.date,
        reason: v.reason as never,
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      }),
      'dropout',
    );
  }

  protected async closeTrajectory(): Promise<void> {
    const v = this.closeForm.getRawValue();
    if (!v.reason) return this.show('close', null, this.translate.instant('client.chooseCloseReason'));
    const ask = this.translate.instant('client.closeAsk', {
      ref: this.client()?.clientRef ?? '',
      reason: this.translate.instant(`closeReasons.${v.reason}`),
    });
    if (!(await this.confirm.action('close', ask, { danger: true }))) return;
    return this.act(this.api.close(this.trajectoryId(), { date: v.date, reason: v.reason }), 'close');
  }

  protected async reopen(): Promise<void> {
    if (!(await this.confirm.action('reopen', this.translate.instant('client.reopenAsk')))) return;
    return this.act(this.api.reopen(this.trajectoryId()), 'reopen');
  }

  /** Every link to the client's own page stops working (a lost phone, a forwarded mail): asked first. */
  protected async revokePortal(): Promise<void> {
    if (!(await this.confirm.action('portalRevoke', this.translate.instant('client.portalRevokeAsk'), { danger: true })))
      return;
    this.busy.set(true);
    this.show('portal', null, null);
    try {
      const { revoked } = await firstValueFrom(this.api.revokePortalLinks(this.trajectoryId()));
      await this.load(this.id());
      this.show('portal', this.translate.instant('client.portalRevoked', { count: revoked }), null);
    } catch (e) {
      this.show('portal', null, this.errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected startService(): Promise<void> {
    const v = this.serviceForm.getRawValue();
    return this.act(this.api.startService(this.trajectoryId(), { kind: v.kind, startedOn: v.startedOn }), 'service');
  }

  /** The end date chosen per running service (today until changed). */
  protected readonly endDates = signal<Record<string, string>>({});

  protected setEndDate(serviceId: string, date: string): void {
    this.endDates.update((d) => ({ ...d, [serviceId]: date }));
  }

  /** Ends a service on the chosen date, after a question (it cannot be undone here). */
  protected async endService(serviceId: string, kind: string): Promise<void> {
    const date = this.endDates()[serviceId] ?? this.today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      return this.show('service', null, this.translate.instant('client.errors.endedOn'));
    const ask = this.translate.instant('client.endServiceAsk', {
      service: this.translate.instant(`services.${kind}`),
      date: formatDate(date),
    });
    if (!(await this.confirm.action('endService', ask))) return;
    return this.act(this.api.endService(this.trajectoryId(), serviceId, date), 'service');
  }

  protected async resolveAlert(alertId: string): Promise<void> {
    if (!(await this.confirm.action('resolveAlert', this.translate.instant('client.resolveAsk')))) return;
    return this.act(this.questionnaires.resolveAlert(alertId), 'alert');
  }

  /** The signals of a low-experience alert, in words. */
  protected signalsText(details: Record<string, unknown> | null): string {
    const signals = (details?.['signals'] as string[] | undefined) ?? [];
    return signals.map((sig) => this.translate.instant(`questionnaires.signal.${sig}`) as string).join(', ');
  }

  /** A delivery failure in words when it is a known one; the provider's own text otherwise. */
  protected reasonText(reason: string): string {
    const key = `questionnaires.reason.${reason}`;
    const text = this.translate.instant(key) as string;
    return text === key ? reason : text;
  }

  /** Asks first, with room for a note on why (kept in the history); Cancel withdraws nothing. */
  protected async withdraw(step: StepCode): Promise<void> {
    const note = await this.confirm.actionWithText(
      'withdrawStep',
      this.translate.instant('client.withdrawAsk', { step: this.translate.instant(`steps.${step}`) }),
      this.translate.instant('client.withdrawNote'),
      TEXT_LIMITS.note,
    );
    if (note === null) return;
    return this.act(this.api.withdrawStep(this.trajectoryId(), step, note || undefined), 'withdraw');
  }

  private trajectoryId(): string {
    return this.client()?.trajectory.id ?? '';
  }

  private async act(request: Observable<unknown>, form: string): Promise<void> {
    this.busy.set(true);
    this.show(form, null, null);
    try {
      await firstValueFrom(request);
      await this.load(this.id());
      this.show(form, this.translate.instant('client.saved'), null);
    } catch (e) {
      this.show(form, null, this.errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** A message next to the form it belongs to. */
  private show(form: string, notice: string | null, error: string | null): void {
    this.feedbackFor.set(form);
    this.notice.set(notice);
    this.formError.set(error);
    // The message gets focus, so a screen reader reads it and the eye finds it.
    if (notice || error)
      setTimeout(() =>
        (
          document.querySelector(
            'main [data-testid="client-notice"], main [data-testid="client-error"][tabindex="-1"]',
          ) as HTMLElement | null
        )?.focus(),
      );
  }

  /**
   * A refusal in the UI's language: by the field the API names (client.errors.<field>), else by
   * status; never the API's English.
   */
  private errorText(e: unknown): string {
    const err = apiError(e);
    const field = err.details?.[0]?.field;
    const detail = err.details?.[0] as { message?: string; step?: string; date?: string } | undefined;
    if (field === 'date' && detail?.step && detail.date && detail.message)
      return this.orderText(detail.message, detail.step, detail.date);
    if (field) {
      const key = `client.errors.${field}`;
      const text = this.translate.instant(key) as string;
      if (text !== key) return text;
    }
    if (err.statusCode === 0) return this.translate.instant('login.unreachable');
    if (err.statusCode === 404) return this.translate.instant('client.errors.notFound');
    if (err.statusCode === 409) return this.translate.instant('client.errors.conflict');
    if (err.statusCode === 400 || err.statusCode === 422) return this.translate.instant('client.errors.invalid');
    return this.translate.instant('errors.generic');
  }

  /** The first step not reached yet: what "Stap zetten" proposes. */
  private proposeStep(c: ClientDetail): void {
    const next = this.markable.find((s) => !c.trajectory.steps[s]);
    this.stepForm.controls.step.setValue(next ?? this.markable[this.markable.length - 1]);
  }

  /** After the intake form saved: the header shows the client type the answers gave. */
  protected reload(): Promise<void> {
    return this.load(this.id());
  }

  private async load(id: string): Promise<void> {
    try {
      const c = await firstValueFrom(this.api.get(id));
      this.client.set(c);
      this.proposeStep(c);
    } catch (e) {
      this.error.set(apiError(e).message);
    }
  }
}
