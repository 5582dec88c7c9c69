import { afterNextRender, inject, Injector, signal } from '@angular/core';
import type { AbstractControl, FormGroup } from '@angular/forms';
import { TranslateService } from '@ngx-translate/core';
import type { ApiError } from '@klantmonitor/shared/domain';

/** A field of a form as its messages need it: the translation key of its label and its element id. */
export interface FieldSpec {
  label: string;
  id: string;
  /** The page's own sentence when the field is empty (a translation key), e.g. "Kies eerst een reden". */
  required?: string;
}

/** One message per wrong field, in the order of the form. */
export interface FieldMessage {
  field: string;
  id: string;
  text: string;
}

/**
 * The messages of one form (#25): under each wrong field, and one for the form as a whole.
 *
 * Texts, most specific first: `<prefix>.<field>` (the page's own sentence for that field, e.g.
 * "Vul een cliëntnummer in van letters en cijfers."), then `forms.<rule>` with the field's label
 * ("Vul Cliëntnummer in."). Too long always says by how much. Make it in a field initializer
 * (`formErrors(...)`): it needs the injector to move focus after the page has drawn the messages.
 */
export class FormErrors {
  private readonly fieldMessages = signal<Record<string, string>>({});
  /** A message about the form as a whole (conflict, no connection), or null. */
  readonly general = signal<string | null>(null);
  readonly fields = this.fieldMessages.asReadonly();

  constructor(
    private readonly t: (key: string, params?: Record<string, unknown>) => string,
    private readonly prefix: string,
    readonly specs: Record<string, FieldSpec>,
    private readonly injector: Injector | null = null,
  ) {}

  /** The message under `field`, or null. */
  of(field: string): string | null {
    return this.fieldMessages()[field] ?? null;
  }

  /** Wrong fields in the order of `specs` (the summary's list). */
  list(): FieldMessage[] {
    const m = this.fieldMessages();
    return Object.keys(this.specs)
      .filter((f) => m[f])
      .map((f) => ({ field: f, id: this.specs[f].id, text: m[f] }));
  }

  clear(): void {
    this.fieldMessages.set({});
    this.general.set(null);
  }

  /**
   * Checks the form's own validators for the fields of `specs`: true when it may be sent; else the
   * messages are set and focus goes to the first wrong field (within `root`, when given).
   */
  check(form: FormGroup, root?: HTMLElement): boolean {
    const found: Record<string, string> = {};
    for (const field of Object.keys(this.specs)) {
      const control = form.get(field);
      const text = control ? this.localText(field, control) : null;
      if (text) found[field] = text;
    }
    this.fieldMessages.set(found);
    this.general.set(null);
    if (Object.keys(found).length === 0) return true;
    this.focusFirst(root);
    return false;
  }

  /**
   * A refusal of the API: every `details[].field` that is a field of this form gets its message
   * under that field; when none is, `fallback` (the page's text for the refusal) is the general one.
   */
  fromApi(error: ApiError, fallback: string, root?: HTMLElement): void {
    const found: Record<string, string> = {};
    for (const d of error.details ?? []) {
      const field = d.field.replace(/\[\d+\]$/, '');
      if (!this.specs[field] || found[field]) continue;
      found[field] = this.apiText(field, d.message);
    }
    this.fieldMessages.set(found);
    this.general.set(Object.keys(found).length ? null : fallback);
    this.focusFirst(root);
  }

  /** A message of the page's own under one field (e.g. a 409 about that field), focus there. */
  fieldError(field: string, text: string, root?: HTMLElement): void {
    this.fieldMessages.set({ [field]: text });
    this.general.set(null);
    this.focusFirst(root);
  }

  /** A general message of the page's own (e.g. a 409 it explains), focus to it. */
  fail(text: string, root?: HTMLElement): void {
    this.fieldMessages.set({});
    this.general.set(text);
    this.focusFirst(root);
  }

  private label(field: string): string {
    return this.t(this.specs[field].label);
  }

  private own(field: string): string | null {
    return this.ownKey(field);
  }

  private ownKey(name: string): string | null {
    const key = `${this.prefix}.${name}`;
    const text = this.t(key);
    return text === key ? null : text;
  }

  private localText(field: string, control: AbstractControl): string | null {
    const errors = control.errors;
    if (!errors) return null;
    const label = this.label(field);
    if (errors['maxlength']) {
      const { requiredLength, actualLength } = errors['maxlength'] as { requiredLength: number; actualLength: number };
      return this.t('forms.tooLong', { label, max: requiredLength, over: actualLength - requiredLength });
    }
    if (errors['required']) {
      const own = this.specs[field].required;
      return own ? this.t(own) : this.t('forms.required', { label: sentenceCase(label) });
    }
    if (errors['min'] || errors['max'])
      return (
        this.own(field) ??
        this.t('forms.range', {
          label,
          min: (errors['min'] as { min: number } | undefined)?.min ?? '',
          max: (errors['max'] as { max: number } | undefined)?.max ?? '',
        })
      );
    return this.own(field) ?? this.t('forms.invalid', { label });
  }

  private apiText(field: string, message: string): string {
    const label = this.label(field);
    const tooLong = /at most (\d+) characters/.exec(message);
    if (tooLong) return this.t('forms.tooLongApi', { label, max: Number(tooLong[1]) });
    return this.own(field) ?? this.t('forms.invalid', { label });
  }

  private focusFirst(root?: HTMLElement): void {
    if (!this.injector || typeof document === 'undefined') return;
    afterNextRender(
      () => {
        const scope: ParentNode = root ?? document;
        const first = this.list()[0];
        const target =
          (first && (scope.querySelector(`#${CSS.escape(first.id)}`) as HTMLElement | null)) ??
          (scope.querySelector('[data-km-form-message]') as HTMLElement | null);
        target?.focus();
      },
      { injector: this.injector },
    );
  }
}

/** "Datum eerste contact" -> "datum eerste contact" inside a sentence; "BSN" stays. */
function sentenceCase(label: string): string {
  return label.length > 1 && label[1] === label[1].toLowerCase() ? label[0].toLowerCase() + label.slice(1) : label;
}

/** Between two calendar dates (YYYY-MM-DD, both included): `{ dateRange: true }` otherwise. */
export function dateRange(min: string, max: () => string): (c: AbstractControl) => Record<string, boolean> | null {
  return (c) => {
    const v = c.value as string;
    if (!v) return null;
    return /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= min && v <= max() ? null : { dateRange: true };
  };
}

/** A FormErrors for a page (in a field initializer): `formErrors('newClient.errors', { clientRef: {...} })`. */
export function formErrors(prefix: string, specs: Record<string, FieldSpec>): FormErrors {
  const translate = inject(TranslateService);
  return new FormErrors((k, p) => translate.instant(k, p), prefix, specs, inject(Injector));
}
