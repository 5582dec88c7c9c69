import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { TEXT_LIMITS, type QuestionnaireScheduleView } from '@klantmonitor/shared/domain';
import { apiError, localErrorText, QuestionnairesApi } from '@klantmonitor/dashboard/data-access';
import { formErrors, KmControl, KmField } from '@klantmonitor/dashboard/ui-forms';

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
  imports: [ReactiveFormsModule, TranslatePipe, KmField, KmControl],
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
        <form #formEl [formGroup]="form" (ngSubmit)="save(formEl)" novalidate>
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
          <fieldset data-testid="client-contact">
            <legend>{{ 'schedule.clientPage' | translate }}</legend>
            <p class="muted">{{ 'schedule.clientPageHint' | translate }}</p>
            <km-field
              [errors]="errs"
              name="spaartegoedPayout"
              [max]="limits.payoutText"
              [hint]="'schedule.payoutHint' | translate"
            >
              <textarea kmControl formControlName="spaartegoedPayout" rows="2"></textarea>
            </km-field>
            <km-field [errors]="errs" name="contactPhone" [max]="limits.contactPhone">
              <input kmControl type="tel" formControlName="contactPhone" autocomplete="off" />
            </km-field>
            <km-field
              [errors]="errs"
              name="openingHours"
              [max]="limits.openingHours"
              [hint]="'schedule.openingHoursHint' | translate"
            >
              <input kmControl formControlName="openingHours" autocomplete="off" />
            </km-field>
          </fieldset>
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
    spaartegoedPayout: ['', Validators.maxLength(TEXT_LIMITS.payoutText)],
    contactPhone: ['', Validators.maxLength(TEXT_LIMITS.contactPhone)],
    openingHours: ['', Validators.maxLength(TEXT_LIMITS.openingHours)],
  });
  protected readonly limits = TEXT_LIMITS;
  /** The texts clients see: their messages stand under their fields. */
  protected readonly errs = formErrors('schedule.errors', {
    spaartegoedPayout: { label: 'schedule.payout', id: 'spaartegoedPayout' },
    contactPhone: { label: 'schedule.contactPhone', id: 'contactPhone' },
    openingHours: { label: 'schedule.openingHours', id: 'openingHours' },
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
      contactPhone: v.contactPhone ?? '',
      openingHours: v.openingHours ?? '',
    });
  }

  protected async save(root: HTMLElement): Promise<void> {
    this.error.set(null);
    this.notice.set(null);
    if (!this.errs.check(this.form, root)) return;
    this.busy.set(true);
    const f = this.form.getRawValue();
    try {
      // Empty number fields arrive as null: the API names them.
      this.show(
        await firstValueFrom(
          this.api.updateSchedule({
            ...f,
            channels: CHANNELS[f.channels],
            spaartegoedPayout: f.spaartegoedPayout.trim() || null,
            contactPhone: f.contactPhone.trim() || null,
            openingHours: f.openingHours.trim() || null,
            templateId: this.view()?.customised ? this.view()?.template.id : null,
          }),
        ),
      );
      this.notice.set(this.translate.instant('schedule.saved'));
    } catch (e) {
      const text = localErrorText(e, (k, p) => this.translate.instant(k, p), 'schedule.errors');
      const field = apiError(e).details?.[0]?.field;
      if (field && this.errs.specs[field]) this.errs.fieldError(field, text, root);
      else this.error.set(text);
    } finally {
      this.busy.set(false);
    }
  }
}
