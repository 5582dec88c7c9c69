import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import {
  CLOSE_REASONS,
  DROPOUT_REASONS,
  EARLIEST_DATE,
  STEP_CODES,
  SUPPORT_CHANNELS,
  SUPPORT_TYPES,
  TEXT_LIMITS,
  todayInAmsterdam,
  type StepCode,
} from '@klantmonitor/shared/domain';
import { apiError, ClientsApi } from '@klantmonitor/dashboard/data-access';
import {
  ConfirmService,
  dateRange,
  formErrors,
  KmControl,
  KmField,
  KmFormFeedback,
  type FormErrors,
} from '@klantmonitor/dashboard/ui-forms';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';
import { KmCardFeedback } from './card-feedback';
import { ClientRecordStore, type CardFeedback } from './client-record.store';

type Form = 'meeting' | 'step' | 'support' | 'dropout' | 'close' | 'reopen';

/**
 * What a counselor records on an open trajectory (#25: every field with its message under it):
 * a step, support given, dropout, closing; and reopening a closed one.
 */
@Component({
  selector: 'km-client-actions',
  imports: [ReactiveFormsModule, TranslatePipe, KmDatePipe, KmField, KmControl, KmFormFeedback, KmCardFeedback],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './client-actions.html',
})
export class ClientActions {
  protected readonly store = inject(ClientRecordStore);
  private readonly api = inject(ClientsApi);
  private readonly confirm = inject(ConfirmService);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly today = todayInAmsterdam();
  protected readonly limits = TEXT_LIMITS;
  protected readonly markable = STEP_CODES.filter((s) => s !== 'first_contact');
  protected readonly supportTypes = SUPPORT_TYPES;
  protected readonly channels = SUPPORT_CHANNELS;
  protected readonly reasons = DROPOUT_REASONS;
  protected readonly closeReasons = CLOSE_REASONS;
  /** The saved-message of a form ("Opgeslagen."), shown in its card. */
  protected readonly feedback = signal<{ form: Form; f: CardFeedback } | null>(null);

  /** A date of the trajectory: from its first contact up to today. */
  private readonly inTrajectory = dateRange(EARLIEST_DATE, () => todayInAmsterdam());

  protected readonly stepForm = this.fb.group({
    step: ['goal_known' as StepCode, Validators.required],
    date: [this.today, [Validators.required, this.inTrajectory]],
  });
  protected readonly stepErrs = formErrors('client.errors', {
    step: { label: 'client.stepLabel', id: 'mark-step' },
    date: { label: 'client.date', id: 'mark-date' },
  });
  /** The first meeting of a waiting request (#26): its date, from the request up to today. */
  protected readonly meetingForm = this.fb.group({
    date: [this.today, [Validators.required, this.inTrajectory]],
  });
  protected readonly meetingErrs = formErrors('client.errors', {
    date: { label: 'client.firstMeetingDate', id: 'meeting-date' },
  });
  protected readonly supportForm = this.fb.group({
    type: ['administrative', Validators.required],
    minutes: [30, [Validators.required, Validators.min(1), Validators.max(1440)]],
    channel: ['in_person', Validators.required],
    date: [this.today, [Validators.required, this.inTrajectory]],
    note: ['', Validators.maxLength(TEXT_LIMITS.note)],
  });
  protected readonly supportErrs = formErrors('client.errors', {
    type: { label: 'client.supportType', id: 'support-type' },
    minutes: { label: 'client.minutes', id: 'support-minutes' },
    channel: { label: 'client.channel', id: 'support-channel' },
    date: { label: 'client.date', id: 'support-date' },
    note: { label: 'client.note', id: 'support-note' },
  });
  // No reason chosen beforehand: the counselor picks one (a default would be recorded unread).
  protected readonly dropoutForm = this.fb.group({
    reason: ['', Validators.required],
    date: [this.today, [Validators.required, this.inTrajectory]],
    note: ['', Validators.maxLength(TEXT_LIMITS.note)],
  });
  protected readonly dropoutErrs = formErrors('client.errors', {
    reason: { label: 'client.reason', id: 'dropout-reason', required: 'client.chooseReasonFirst' },
    date: { label: 'client.date', id: 'dropout-date' },
    note: { label: 'client.note', id: 'dropout-note' },
  });
  protected readonly closeForm = this.fb.group({
    reason: ['', Validators.required],
    date: [this.today, [Validators.required, this.inTrajectory]],
  });
  protected readonly closeErrs = formErrors('client.errors', {
    reason: { label: 'client.closeReason', id: 'close-reason', required: 'client.chooseCloseReason' },
    date: { label: 'client.date', id: 'close-date' },
  });

  constructor() {
    // "Stap zetten" proposes the first step not reached yet, each time the record changes.
    effect(() => {
      const c = this.store.client();
      if (!c) return;
      const next = this.markable.find((s) => !c.trajectory.steps[s]);
      this.stepForm.controls.step.setValue(next ?? this.markable[this.markable.length - 1]);
    });
  }

  protected feedbackOf(form: Form): CardFeedback | null {
    const f = this.feedback();
    return f?.form === form ? f.f : null;
  }

  protected async markStep(root: HTMLElement): Promise<void> {
    this.feedback.set(null);
    if (!this.stepErrs.check(this.stepForm, root)) return;
    const v = this.stepForm.getRawValue();
    const conflict = this.stepOrderConflict(v.step, v.date);
    if (conflict) return this.stepErrs.fieldError('date', conflict, root);
    await this.send('step', this.stepErrs, root, this.api.markStep(this.store.trajectoryId(), v));
  }

  /** The first meeting took place: the request becomes a trajectory at its first contact. */
  protected async markFirstMeeting(root: HTMLElement): Promise<void> {
    this.feedback.set(null);
    if (!this.meetingErrs.check(this.meetingForm, root)) return;
    const { date } = this.meetingForm.getRawValue();
    await this.send(
      'meeting',
      this.meetingErrs,
      root,
      this.api.markStep(this.store.trajectoryId(), { step: 'first_contact', date }),
    );
  }

  /**
   * Steps keep their order: a date after a later step or before an earlier one would move that
   * step's date. Said before sending (the server refuses it too, with the same words).
   */
  private stepOrderConflict(step: StepCode, date: string): string | null {
    const c = this.store.client();
    if (!c) return null;
    const standing = new Map(c.trajectory.stepEvents.filter((e) => !e.withdrawnAt).map((e) => [e.step, e.date]));
    const at = STEP_CODES.indexOf(step);
    for (const other of STEP_CODES) {
      const d = standing.get(other);
      if (!d || other === step || other === 'first_contact') continue;
      const later = STEP_CODES.indexOf(other) > at;
      if ((later && d < date) || (!later && d > date))
        return this.store.orderText(later ? 'after_later_step' : 'before_earlier_step', other, d);
    }
    return null;
  }

  protected async recordSupport(root: HTMLElement): Promise<void> {
    this.feedback.set(null);
    if (!this.supportErrs.check(this.supportForm, root)) return;
    const v = this.supportForm.getRawValue();
    const ok = await this.send(
      'support',
      this.supportErrs,
      root,
      this.api.support(this.store.trajectoryId(), {
        date: v.date,
        type: v.type as never,
        minutes: Number(v.minutes),
        channel: v.channel as never,
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      }),
    );
    if (ok) this.supportForm.controls.note.setValue('');
  }

  protected async recordDropout(root: HTMLElement): Promise<void> {
    this.feedback.set(null);
    if (!this.dropoutErrs.check(this.dropoutForm, root)) return;
    const v = this.dropoutForm.getRawValue();
    const ask = this.store.t('client.dropoutAsk', {
      ref: this.store.client()?.clientRef ?? '',
      reason: this.store.t(`dropoutReasons.${v.reason}`),
    });
    if (!(await this.confirm.action('dropout', ask, { danger: true }))) return;
    await this.send(
      'dropout',
      this.dropoutErrs,
      root,
      this.api.dropout(this.store.trajectoryId(), {
        date: v.date,
        reason: v.reason as never,
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      }),
    );
  }

  protected async closeTrajectory(root: HTMLElement): Promise<void> {
    this.feedback.set(null);
    if (!this.closeErrs.check(this.closeForm, root)) return;
    const v = this.closeForm.getRawValue();
    const ask = this.store.t('client.closeAsk', {
      ref: this.store.client()?.clientRef ?? '',
      reason: this.store.t(`closeReasons.${v.reason}`),
    });
    if (!(await this.confirm.action('close', ask, { danger: true }))) return;
    await this.send(
      'close',
      this.closeErrs,
      root,
      this.api.close(this.store.trajectoryId(), { date: v.date, reason: v.reason as never }),
    );
  }

  protected async reopen(): Promise<void> {
    if (!(await this.confirm.action('reopen', this.store.t('client.reopenAsk')))) return;
    this.feedback.set({ form: 'reopen', f: await this.store.act(this.api.reopen(this.store.trajectoryId())) });
  }

  /**
   * Sends a form's change: "Opgeslagen." in its card, or the refusal under the field the API
   * names (else on top of the form). True when it was saved.
   */
  private async send(
    form: Form,
    errs: FormErrors,
    root: HTMLElement,
    request: Parameters<ClientRecordStore['run']>[0],
  ): Promise<boolean> {
    errs.clear();
    const failed = await this.store.run(request);
    if (failed === null) {
      this.feedback.set({ form, f: { kind: 'notice', text: this.store.t('client.saved') } });
      return true;
    }
    const err = apiError(failed);
    const text = this.store.errorText(failed);
    const field = err.details?.[0]?.field;
    // The step order refusal and the API's field texts stand under the field they are about.
    if (field && errs.specs[field]) errs.fieldError(field, text, root);
    else errs.fail(text, root);
    return false;
  }
}
