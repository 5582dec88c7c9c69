import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  input,
  model,
  signal,
  viewChild,
} from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';

export interface PickerOption {
  code: string;
  name: string;
}

/** At most this many suggestions under the box; typing more narrows them. */
const SHOWN = 8;

/**
 * Choosing municipalities out of 342 (#25): type part of a name or CBS code, pick a suggestion with
 * the arrow keys and Enter (or a click); the chosen ones stand above the box as chips, each with
 * its own remove button. ARIA 1.2 combobox with a listbox popup; the count in correct Dutch.
 */
@Component({
  selector: 'km-municipality-picker',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="km-picker">
      <label [for]="inputId()">{{ label() }}</label>
      <p class="utrecht-form-field-description" [id]="inputId() + '-hint'">{{ 'forms.picker.hint' | translate }}</p>
      <p class="muted km-picker__count" aria-live="polite" data-testid="picker-count">
        {{
          (chosen().length === 1 ? 'forms.picker.chosenOne' : 'forms.picker.chosen')
            | translate: { count: chosen().length }
        }}
      </p>
      @if (chosenItems().length) {
        <ul class="km-chips" [attr.aria-label]="'forms.picker.chosenList' | translate">
          @for (m of chosenItems(); track m.code) {
            <li class="km-chip">
              <span>{{ m.name }}</span>
              <button
                type="button"
                class="km-chip__remove"
                [attr.aria-label]="'forms.picker.remove' | translate: { name: m.name }"
                (click)="remove(m.code)"
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          }
        </ul>
      }
      <input
        #box
        [id]="inputId()"
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        [attr.aria-expanded]="matches().length > 0"
        [attr.aria-controls]="inputId() + '-list'"
        [attr.aria-activedescendant]="activeId()"
        [attr.aria-describedby]="describedBy()"
        [attr.aria-invalid]="error() ? 'true' : null"
        [value]="query()"
        (input)="type($any($event.target).value)"
        (keydown)="key($event)"
        (blur)="closeSoon()"
      />
      <ul
        class="km-picker__list"
        role="listbox"
        [id]="inputId() + '-list'"
        [hidden]="matches().length === 0"
        [attr.aria-label]="'forms.picker.suggestions' | translate"
      >
        @for (m of matches(); track m.code; let i = $index) {
          <li
            role="option"
            [id]="inputId() + '-opt-' + m.code"
            [attr.aria-selected]="i === active()"
            [class.active]="i === active()"
            (mousedown)="$event.preventDefault(); add(m.code)"
          >
            {{ m.name }} <span class="muted">({{ m.code }})</span>
          </li>
        }
      </ul>
      @if (query().trim() && matches().length === 0 && !closed()) {
        <p class="muted" role="status">{{ 'forms.picker.noMatch' | translate: { q: query().trim() } }}</p>
      }
      @if (error()) {
        <p class="utrecht-form-field-error-message" [id]="inputId() + '-error'">{{ error() }}</p>
      }
    </div>
  `,
})
export class KmMunicipalityPicker {
  readonly options = input.required<PickerOption[]>();
  readonly chosen = model.required<string[]>();
  /** The label above the box (translated). */
  readonly label = input.required<string>();
  readonly inputId = input('municipality-search');
  readonly error = input<string | null>(null);

  protected readonly query = signal('');
  protected readonly active = signal(0);
  protected readonly closed = signal(false);
  private readonly box = viewChild.required<ElementRef<HTMLInputElement>>('box');

  protected readonly chosenItems = computed(() => {
    const byCode = new Map(this.options().map((o) => [o.code, o]));
    return this.chosen()
      .map((c) => byCode.get(c) ?? { code: c, name: c })
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  });
  protected readonly matches = computed(() => {
    const q = this.query().trim().toLowerCase();
    if (!q || this.closed()) return [];
    const taken = new Set(this.chosen());
    const hits = this.options().filter(
      (o) => !taken.has(o.code) && (o.name.toLowerCase().includes(q) || o.code.toLowerCase().includes(q)),
    );
    // Names that start with what was typed first ("Utrecht" before "Stichtse Vecht").
    hits.sort((a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)));
    return hits.slice(0, SHOWN);
  });
  protected readonly activeId = computed(() => {
    const m = this.matches()[this.active()];
    return m ? `${this.inputId()}-opt-${m.code}` : null;
  });
  protected readonly describedBy = computed(
    () => `${this.inputId()}-hint` + (this.error() ? ` ${this.inputId()}-error` : ''),
  );

  protected type(value: string): void {
    this.query.set(value);
    this.active.set(0);
    this.closed.set(false);
  }

  protected key(e: KeyboardEvent): void {
    const n = this.matches().length;
    if (e.key === 'ArrowDown' && n) {
      e.preventDefault();
      this.active.set((this.active() + 1) % n);
    } else if (e.key === 'ArrowUp' && n) {
      e.preventDefault();
      this.active.set((this.active() - 1 + n) % n);
    } else if (e.key === 'Enter') {
      // Enter picks the suggestion; it never sends the form from this box.
      e.preventDefault();
      const m = this.matches()[this.active()];
      if (m) this.add(m.code);
    } else if (e.key === 'Escape' && n) {
      e.preventDefault();
      this.closed.set(true);
    }
  }

  protected closeSoon(): void {
    this.closed.set(true);
  }

  add(code: string): void {
    if (!this.chosen().includes(code)) this.chosen.set([...this.chosen(), code]);
    this.query.set('');
    this.active.set(0);
    this.box().nativeElement.focus();
  }

  remove(code: string): void {
    this.chosen.set(this.chosen().filter((c) => c !== code));
    this.box().nativeElement.focus();
  }
}
