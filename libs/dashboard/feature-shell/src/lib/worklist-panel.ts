import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { ClientsApi, type Worklist } from '@klantmonitor/dashboard/data-access';
import { KmDatePipe, LanguageService } from '@klantmonitor/dashboard/util-i18n';
import { formatDate } from '@klantmonitor/shared/domain';

/**
 * The counselor's day on the start page (GET /worklist): open signals, stalled clients, new answers,
 * invitations about to expire and quiet clients, own clients first, the team's on request. Every
 * line links to the client.
 */
@Component({
  selector: 'km-worklist-panel',
  imports: [TranslatePipe, RouterLink, KmDatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .worklist h3 {
      margin-bottom: 0.25rem;
    }
    .worklist ul {
      margin-top: 0.25rem;
    }
    .worklist li {
      margin: 0.2rem 0;
    }
    .worklist li.overdue {
      border-inline-start: 0.25rem solid var(--km-red);
      padding-inline-start: 0.4rem;
    }
    .overdue-text {
      color: var(--km-red);
    }
  `,
  template: `
    <section class="card worklist" aria-labelledby="worklist-title" data-testid="worklist">
      <h2 id="worklist-title">{{ 'worklist.title' | translate }}</h2>
      <fieldset class="button-row">
        <legend class="visually-hidden">
          {{ 'worklist.scope' | translate }}
        </legend>
        <label class="radio"
          ><input
            type="radio"
            name="worklist-scope"
            value="mine"
            [checked]="scope() === 'mine'"
            (change)="setScope('mine')"
          />
          {{ 'worklist.mine' | translate }}</label
        >
        <label class="radio"
          ><input
            type="radio"
            name="worklist-scope"
            value="team"
            [checked]="scope() === 'team'"
            (change)="setScope('team')"
          />
          {{ 'worklist.team' | translate }}</label
        >
      </fieldset>
      @if (error()) {
        <p class="error" role="alert">{{ 'worklist.error' | translate }}</p>
      } @else if (list(); as w) {
        @if (empty()) {
          <p data-testid="worklist-empty">{{ 'worklist.empty' | translate }}</p>
        }
        @if (w.firstMeetings.length) {
          <h3>{{ 'worklist.firstMeetings' | translate: { n: w.firstMeetings.length } }}</h3>
          <ul data-testid="worklist-first-meetings">
            @for (l of w.firstMeetings; track l.clientId) {
              <li [class.overdue]="l.overdueDays > 0">
                <a [routerLink]="['/clienten', l.clientId]">{{ l.clientRef }}</a>
                @if (scope() === 'team') {
                  <span class="muted" data-testid="worklist-counselor">
                    ({{ l.counselorName ?? ('worklist.nobody' | translate) }})</span
                  >
                }
                :
                @if (l.crisis) {
                  <strong class="crisis" data-testid="worklist-crisis">{{ 'crisis.' + l.crisis | translate }}</strong
                  >,
                }
                @if (l.overdueDays > 0) {
                  <strong class="overdue-text" data-testid="worklist-overdue">{{
                    (l.overdueDays === 1 ? 'worklist.overdueOne' : 'worklist.overdue') | translate: { n: l.overdueDays }
                  }}</strong>
                  ({{ 'worklist.dueWas' | translate: { date: (l.dueOn | kmDate) } }})
                } @else {
                  {{ 'worklist.dueOn' | translate: { date: (l.dueOn | kmDate) } }}
                }
                <span class="muted"
                  >· {{ 'worklist.registeredOn' | translate: { date: (l.registeredOn | kmDate) } }}</span
                >
              </li>
            }
          </ul>
        }
        @if (w.alerts.length) {
          <h3>{{ 'worklist.alerts' | translate: { n: w.alerts.length } }}</h3>
          <ul data-testid="worklist-alerts">
            @for (l of w.alerts; track l.alertId) {
              <li>
                <a [routerLink]="['/clienten', l.clientId]">{{ l.clientRef }}</a>
                @if (scope() === 'team') {
                  <span class="muted" data-testid="worklist-counselor">
                    ({{ l.counselorName ?? ('worklist.nobody' | translate) }})</span
                  >
                }
                :
                {{ alertText(l) }}
              </li>
            }
          </ul>
        }
        @if (w.stalled.length) {
          <h3>{{ 'worklist.stalled' | translate: { n: w.stalled.length } }}</h3>
          <ul data-testid="worklist-stalled">
            @for (l of w.stalled; track l.clientId) {
              <li>
                <a [routerLink]="['/clienten', l.clientId]">{{ l.clientRef }}</a>
                @if (scope() === 'team') {
                  <span class="muted" data-testid="worklist-counselor">
                    ({{ l.counselorName ?? ('worklist.nobody' | translate) }})</span
                  >
                }
                :
                {{
                  'worklist.stalledWhy'
                    | translate
                      : {
                          date: (l.lastActivityOn | kmDate),
                          step: ('steps.' + l.currentStep | translate),
                        }
                }}
              </li>
            }
          </ul>
        }
        @if (w.newResponses.length) {
          <h3>
            {{ 'worklist.newResponses' | translate: { n: w.newResponses.length } }}
          </h3>
          <ul data-testid="worklist-responses">
            @for (l of w.newResponses; track $index) {
              <li>
                <a [routerLink]="['/clienten', l.clientId]">{{ l.clientRef }}</a>
                @if (scope() === 'team') {
                  <span class="muted" data-testid="worklist-counselor">
                    ({{ l.counselorName ?? ('worklist.nobody' | translate) }})</span
                  >
                }
                :
                {{ 'worklist.respondedWhy' | translate: { date: (l.respondedOn | kmDate) } }}
              </li>
            }
          </ul>
        }
        @if (w.expiringInvitations.length) {
          <h3>
            {{ 'worklist.expiring' | translate: { n: w.expiringInvitations.length } }}
          </h3>
          <ul data-testid="worklist-expiring">
            @for (l of w.expiringInvitations; track l.invitationId) {
              <li>
                <a [routerLink]="['/clienten', l.clientId]">{{ l.clientRef }}</a>
                @if (scope() === 'team') {
                  <span class="muted" data-testid="worklist-counselor">
                    ({{ l.counselorName ?? ('worklist.nobody' | translate) }})</span
                  >
                }
                :
                {{ 'worklist.expiringWhy' | translate: { date: (l.expiresOn | kmDate) } }}
              </li>
            }
          </ul>
        }
        @if (w.quiet.length) {
          <h3>{{ 'worklist.quiet' | translate: { n: w.quiet.length } }}</h3>
          <ul data-testid="worklist-quiet">
            @for (l of w.quiet; track l.clientId) {
              <li>
                <a [routerLink]="['/clienten', l.clientId]">{{ l.clientRef }}</a>
                @if (scope() === 'team') {
                  <span class="muted" data-testid="worklist-counselor">
                    ({{ l.counselorName ?? ('worklist.nobody' | translate) }})</span
                  >
                }
                :
                {{
                  'worklist.quietWhy'
                    | translate
                      : {
                          days: l.days,
                          step: ('steps.' + l.currentStep | translate),
                        }
                }}
              </li>
            }
          </ul>
        }
      } @else {
        <p class="muted" role="status">{{ 'app.loading' | translate }}</p>
      }
    </section>
  `,
})
export class WorklistPanel implements OnInit {
  /** The scope shown first: a counselor's own clients, an organisation admin's team. */
  readonly initialScope = input<'mine' | 'team'>('mine');
  private readonly api = inject(ClientsApi);
  private readonly translate = inject(TranslateService);
  private readonly languages = inject(LanguageService);
  protected readonly scope = signal<'mine' | 'team'>('mine');
  protected readonly list = signal<Worklist | null>(null);
  protected readonly error = signal(false);
  protected readonly empty = computed(() => {
    const w = this.list();
    return (
      !!w &&
      [w.firstMeetings, w.alerts, w.stalled, w.newResponses, w.expiringInvitations, w.quiet].every(
        (l) => l.length === 0,
      )
    );
  });

  ngOnInit(): void {
    void this.setScope(this.initialScope());
  }

  /**
   * An alert in the words of what it is about: "veel onrust over geld" for the unrest item, "voelt
   * zich niet goed geholpen" for the help item (#25), never one word for both.
   */
  protected alertText(l: Worklist['alerts'][number]): string {
    const date = formatDate(l.raisedOn, 'table', this.languages.current());
    const signals = ((l.details as { signals?: string[] } | null)?.signals ?? []).map(
      (sig) => this.translate.instant(`questionnaires.signal.${sig}`) as string,
    );
    if (l.kind === 'low_experience' && signals.length)
      return this.translate.instant('worklist.experienceSignals', {
        signals: signals.join(` ${this.translate.instant('worklist.and')} `),
        date,
      });
    return this.translate.instant(`worklist.alertKind.${l.kind}`, { date });
  }

  protected async setScope(scope: 'mine' | 'team'): Promise<void> {
    this.scope.set(scope);
    this.list.set(null);
    this.error.set(false);
    try {
      this.list.set(await firstValueFrom(this.api.worklist(scope)));
    } catch {
      this.error.set(true);
    }
  }
}
