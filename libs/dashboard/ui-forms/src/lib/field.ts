import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  Directive,
  inject,
  input,
  OnInit,
  signal,
} from '@angular/core';
import { NgControl } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import type { FormErrors } from './form-errors';

/** From this share of the limit on, the counter shows (GOV.UK's character count does the same). */
const COUNTER_FROM = 0.8;

/**
 * One field of a form (#25): label, optional hint, the control (projected, marked `kmControl`), a
 * counter near its limit and its error right under it. With `[errors]` and `name` the label, id and
 * message come from the form's FormErrors; `label`/`fieldId` set them for a field without one.
 *
 *   <km-field [errors]="errs" name="clientRef" [max]="limits.clientRef">
 *     <input kmControl formControlName="clientRef" autocomplete="off" />
 *   </km-field>
 */
@Component({
  selector: 'km-field',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'km-field' },
  template: `
    <div class="utrecht-form-field utrecht-form-field--text" [class.utrecht-form-field--invalid]="!!message()">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" [attr.for]="controlId()">{{ label() ?? (labelKey() | translate) }}</label>
      </div>
      @if (hint()) {
        <div class="utrecht-form-field-description utrecht-form-field__description" [id]="controlId() + '-hint'">
          {{ hint() }}
        </div>
      }
      <div class="utrecht-form-field__input">
        <ng-content />
      </div>
      @if (counterShown()) {
        <div
          class="utrecht-form-field-description km-counter"
          [class.km-counter--over]="left() < 0"
          [id]="controlId() + '-count'"
          aria-live="polite"
        >
          @if (left() >= 0) {
            {{ 'forms.counterLeft' | translate: { left: left(), max: max() } }}
          } @else {
            {{ 'forms.counterOver' | translate: { over: -left(), max: max() } }}
          }
        </div>
      }
      @if (message()) {
        <div
          class="utrecht-form-field-error-message utrecht-form-field__error-message"
          [id]="controlId() + '-error'"
          data-testid="field-error"
        >
          {{ message() }}
        </div>
      }
    </div>
  `,
})
export class KmField {
  readonly errors = input<FormErrors | null>(null);
  /** The field's name in the form (and in the API's details). */
  readonly name = input('');
  /** A label text (already translated) where the FormErrors has none. */
  readonly label = input<string | null>(null);
  /** The control's id where the FormErrors has none. */
  readonly fieldId = input<string | null>(null);
  readonly hint = input<string | null>(null);
  /** The longest text (TEXT_LIMITS); null: no counter. */
  readonly max = input<number | null>(null);
  /** A message of the page's own (used when there is no FormErrors). */
  readonly error = input<string | null>(null);

  /** Set by the control: the length of what is in it. */
  readonly length = signal(0);

  private readonly spec = computed(() => this.errors()?.specs[this.name()] ?? null);
  readonly controlId = computed(() => this.fieldId() ?? this.spec()?.id ?? `km-${this.name()}`);
  readonly labelKey = computed(() => this.spec()?.label ?? '');
  readonly message = computed(() => this.error() ?? this.errors()?.of(this.name()) ?? null);
  readonly left = computed(() => (this.max() ?? 0) - this.length());
  readonly counterShown = computed(() => {
    const max = this.max();
    return max !== null && this.length() >= Math.floor(max * COUNTER_FROM);
  });

  /** The ids the control is described by: hint, counter, error (those shown). */
  readonly describedBy = computed(() => {
    const id = this.controlId();
    return (
      [
        this.hint() ? `${id}-hint` : null,
        this.counterShown() ? `${id}-count` : null,
        this.message() ? `${id}-error` : null,
      ]
        .filter(Boolean)
        .join(' ') || null
    );
  });
}

/**
 * Marks the control of a km-field: its id, `aria-invalid` and `aria-describedby` follow the field,
 * and it tells the field its length (the counter).
 */
@Directive({
  selector: '[kmControl]',
  host: {
    '[id]': 'field.controlId()',
    '[attr.aria-invalid]': 'field.message() ? "true" : null',
    '[attr.aria-describedby]': 'field.describedBy()',
    '(input)': 'measure($event)',
  },
})
export class KmControl implements OnInit {
  protected readonly field = inject(KmField);
  private readonly control = inject(NgControl, { self: true, optional: true });
  private readonly destroyRef = inject(DestroyRef);

  ngOnInit(): void {
    const c = this.control?.control;
    if (!c) return;
    const set = (v: unknown) => this.field.length.set(typeof v === 'string' ? v.length : 0);
    set(c.value);
    const sub = c.valueChanges.subscribe(set);
    this.destroyRef.onDestroy(() => sub.unsubscribe());
  }

  protected measure(e: Event): void {
    if (this.control) return;
    const v = (e.target as HTMLInputElement | null)?.value;
    this.field.length.set(typeof v === 'string' ? v.length : 0);
  }
}
