import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import type { QuestionnaireScheduleView } from '@klantmonitor/shared/domain';
import { localErrorText, QuestionnairesApi } from '@klantmonitor/dashboard/data-access';

type ChannelChoice = 'email' | 'sms' | 'emailOnly' | 'smsOnly';
const CHANNELS: Record<ChannelChoice, ('email' | 'sms')[]> = {
  email: ['email', 'sms'],
  sms: ['sms', 'email'],
  emailOnly: ['email'],
  smsOnly: ['sms'],
};

/** Organisation admin: when questionnaires go out and the spaartegoed per answer. */
@Component({
  selector: 'km-schedule-page',
  imports: [ReactiveFormsModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'schedule.title' | translate }}</h1>
    <p class="lead">{{ 'schedule.intro' | translate }}</p>
    @if (view(); as v) {
      <section class="card">
        <p class="muted">
          {{ 'schedule.template' | translate: { code: v.template.code, version: v.template.version } }}
          @if (!v.customised) {
            · {{ 'schedule.defaults' | translate }}
          }
        </p>
        <form [formGroup]="form" (ngSubmit)="save()" novalidate>
          <label for="intervalWeeks">{{ 'schedule.intervalWeeks' | translate }}</label>
          <input id="intervalWeeks" type="number" min="1" max="52" formControlName="intervalWeeks" required />
          <label for="delayAfterStepDays">{{ 'schedule.delayAfterStepDays' | translate }}</label>
          <input id="delayAfterStepDays" type="number" min="0" max="30" formControlName="delayAfterStepDays" required />
          <label for="reminderAfterDays">{{ 'schedule.reminderAfterDays' | translate }}</label>
          <input id="reminderAfterDays" type="number" min="1" max="89" formControlName="reminderAfterDays" required />
          <label for="expiryDays">{{ 'schedule.expiryDays' | translate }}</label>
          <input id="expiryDays" type="number" min="1" max="90" formControlName="expiryDays" required />
          <label for="creditPerResponse">{{ 'schedule.creditPerResponse' | translate }}</label>
          <input
            id="creditPerResponse"
            type="number"
            min="0"
            max="100"
            step="0.01"
            formControlName="creditPerResponse"
            required
          />
          <label for="spaartegoedPayout">{{ 'schedule.payout' | translate }}</label>
          <p class="muted" id="payout-hint">{{ 'schedule.payoutHint' | translate }}</p>
          <textarea
            id="spaartegoedPayout"
            formControlName="spaartegoedPayout"
            rows="2"
            maxlength="500"
            aria-describedby="payout-hint"
          ></textarea>
          <label for="channels">{{ 'schedule.channels' | translate }}</label>
          <select id="channels" formControlName="channels">
            @for (c of choices; track c) {
              <option [value]="c">{{ 'schedule.channelOrder.' + c | translate }}</option>
            }
          </select>
          @if (!v.smsAvailable) {
            <p class="muted">{{ 'schedule.smsMissing' | translate }}</p>
          }
          <p class="muted">{{ 'schedule.rule' | translate }}</p>
          @if (error()) {
            <p class="error" role="alert" data-testid="schedule-error">{{ error() }}</p>
          }
          @if (notice()) {
            <p class="notice" role="status" data-testid="schedule-notice">{{ notice() }}</p>
          }
          <button type="submit" class="primary" [disabled]="busy()">{{ 'schedule.save' | translate }}</button>
        </form>
      </section>
    } @else if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    } @else {
      <p role="status">{{ 'app.loading' | translate }}</p>
    }
  `,
})
export class SchedulePage implements OnInit {
  private readonly api = inject(QuestionnairesApi);
  private readonly translate = inject(TranslateService);
  protected readonly choices = Object.keys(CHANNELS) as ChannelChoice[];
  protected readonly view = signal<QuestionnaireScheduleView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    intervalWeeks: [6, Validators.required],
    delayAfterStepDays: [3, Validators.required],
    reminderAfterDays: [4, Validators.required],
    expiryDays: [14, Validators.required],
    creditPerResponse: [2.5, Validators.required],
    channels: ['email' as ChannelChoice],
    spaartegoedPayout: [''],
  });

  async ngOnInit(): Promise<void> {
    try {
      this.show(await firstValueFrom(this.api.schedule()));
    } catch (e) {
      this.error.set(localErrorText(e, (k, p) => this.translate.instant(k, p), 'schedule.errors'));
    }
  }

  private show(v: QuestionnaireScheduleView): void {
    this.view.set(v);
    const choice = (Object.entries(CHANNELS).find(([, list]) => list.join() === v.channels.join())?.[0] ??
      'email') as ChannelChoice;
    this.form.setValue({
      intervalWeeks: v.intervalWeeks,
      delayAfterStepDays: v.delayAfterStepDays,
      reminderAfterDays: v.reminderAfterDays,
      expiryDays: v.expiryDays,
      creditPerResponse: v.creditPerResponse,
      channels: choice,
      spaartegoedPayout: v.spaartegoedPayout ?? '',
    });
  }

  protected async save(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.notice.set(null);
    const f = this.form.getRawValue();
    try {
      // Empty number fields arrive as null: the API names them.
      this.show(
        await firstValueFrom(
          this.api.updateSchedule({
            ...f,
            channels: CHANNELS[f.channels],
            spaartegoedPayout: f.spaartegoedPayout.trim() || null,
            templateId: this.view()?.customised ? this.view()?.template.id : null,
          }),
        ),
      );
      this.notice.set(this.translate.instant('schedule.saved'));
    } catch (e) {
      this.error.set(localErrorText(e, (k, p) => this.translate.instant(k, p), 'schedule.errors'));
    } finally {
      this.busy.set(false);
    }
  }
}
