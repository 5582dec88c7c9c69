import {
  afterNextRender,
  ChangeDetectionStrategy,
  Injector,
  Component,
  effect,
  ElementRef,
  Injectable,
  signal,
  viewChild,
  inject,
} from '@angular/core';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';

/** What a confirmation asks: texts already in the page's language. */
export interface ConfirmRequest {
  title: string;
  message: string;
  /** The button that goes on, saying what happens ("Traject afsluiten"). */
  confirm: string;
  /** The button that stops ("Annuleren"). */
  cancel: string;
  /** Styles the confirm button as a warning (removing, ending something). */
  danger?: boolean;
  /** A text the person may add (e.g. why a step is withdrawn): its label and longest length. */
  text?: { label: string; max: number };
}

interface Pending extends ConfirmRequest {
  resolve: (ok: boolean, text: string) => void;
}

/**
 * In-page confirmations (#25), never `window.confirm`: `await confirm.ask({...})` is true when the
 * person chose the confirm button; Escape, Annuleren or a new question are false. The dialog lives
 * in `km-confirm-host` (once, in the app's root).
 */
@Injectable({ providedIn: 'root' })
export class ConfirmService {
  readonly pending = signal<Pending | null>(null);
  private readonly translate = inject(TranslateService);

  /**
   * Asks about one of the actions under `confirm.<action>` in the translations (its `title` and
   * `button`, the button saying what happens); `message` is the page's sentence about this case.
   */
  action(action: string, message: string, options: { danger?: boolean } = {}): Promise<boolean> {
    const t = (k: string) => this.translate.instant(k) as string;
    return this.ask({
      title: t(`confirm.${action}.title`),
      message,
      confirm: t(`confirm.${action}.button`),
      cancel: t('forms.cancel'),
      danger: options.danger,
    });
  }

  ask(request: ConfirmRequest): Promise<boolean> {
    this.pending()?.resolve(false, '');
    return new Promise((resolve) => this.pending.set({ ...request, resolve: (ok) => resolve(ok) }));
  }

  /**
   * Like `action`, with a text field under the question: the text (trimmed, maybe empty) when the
   * person confirms, null when not.
   */
  actionWithText(action: string, message: string, label: string, max: number): Promise<string | null> {
    const t = (k: string) => this.translate.instant(k) as string;
    this.pending()?.resolve(false, '');
    return new Promise((resolve) =>
      this.pending.set({
        title: t(`confirm.${action}.title`),
        message,
        confirm: t(`confirm.${action}.button`),
        cancel: t('forms.cancel'),
        text: { label, max },
        resolve: (ok, text) => resolve(ok ? text.trim() : null),
      }),
    );
  }

  answer(ok: boolean, text = ''): void {
    const p = this.pending();
    if (!p) return;
    this.pending.set(null);
    p.resolve(ok, text);
  }
}

/**
 * The dialog itself: a native modal `<dialog>` with `role="alertdialog"` (the rest of the page is
 * inert, so focus stays inside), focus on the safe button first, Escape cancels, and focus goes back
 * to where it was (the button that asked) when it closes.
 */
@Component({
  selector: 'km-confirm-host',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="utrecht-alert-dialog km-confirm"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="km-confirm-title"
      aria-describedby="km-confirm-message"
      (cancel)="$event.preventDefault(); confirm.answer(false)"
    >
      @if (confirm.pending(); as p) {
        <div class="utrecht-alert-dialog__message">
          <h2 id="km-confirm-title" class="km-confirm__title">{{ p.title }}</h2>
          <p id="km-confirm-message">{{ p.message }}</p>
          @if (p.text; as field) {
            <label for="km-confirm-text">{{ field.label }}</label>
            <textarea
              #text
              id="km-confirm-text"
              rows="3"
              [attr.data-max]="field.max"
              (input)="length.set(text.value.length)"
            ></textarea>
            @if (length() > field.max) {
              <p class="utrecht-form-field-error-message" id="km-confirm-text-error">
                {{ 'forms.counterOver' | translate: { over: length() - field.max, max: field.max } }}
              </p>
            }
          }
          <div class="km-confirm__actions">
            <button
              type="button"
              class="primary"
              [class.danger]="p.danger"
              [disabled]="!!p.text && length() > p.text.max"
              (click)="confirm.answer(true, textValue())"
            >
              {{ p.confirm }}
            </button>
            <button #cancelButton type="button" class="secondary" (click)="confirm.answer(false)">
              {{ p.cancel }}
            </button>
          </div>
        </div>
      }
    </dialog>
  `,
})
export class KmConfirmHost {
  protected readonly confirm = inject(ConfirmService);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly cancelButton = viewChild<ElementRef<HTMLButtonElement>>('cancelButton');
  private readonly injector = inject(Injector);
  private readonly textArea = viewChild<ElementRef<HTMLTextAreaElement>>('text');
  protected readonly length = signal(0);
  private returnTo: HTMLElement | null = null;

  protected textValue(): string {
    return this.textArea()?.nativeElement.value ?? '';
  }

  constructor() {
    effect(() => {
      const open = this.confirm.pending() !== null;
      const d = this.dialog().nativeElement;
      if (open && !d.open) {
        this.length.set(0);
        this.returnTo = document.activeElement as HTMLElement | null;
        d.showModal();
        // The safe choice first: Enter on a reflex does not remove anything.
        afterNextRender(() => this.cancelButton()?.nativeElement.focus(), { injector: this.injector });
      } else if (!open && d.open) {
        d.close();
        const back = this.returnTo;
        this.returnTo = null;
        if (back?.isConnected) back.focus();
      }
    });
  }
}
