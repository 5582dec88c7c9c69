import { afterRenderEffect, ChangeDetectionStrategy, Component, ElementRef, input, viewChild } from '@angular/core';
import type { CardFeedback } from './client-record.store';

/**
 * A card's message, next to what was used (was ten copies of the same block in client-page.ts):
 * a notice (role status) or a refusal (role alert), focused when it appears so a screen reader
 * reads it and the eye finds it.
 */
@Component({
  selector: 'km-card-feedback',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (feedback(); as f) {
      <p
        #message
        [class]="f.kind"
        [attr.role]="f.kind === 'error' ? 'alert' : 'status'"
        [attr.data-testid]="f.kind === 'error' ? 'client-error' : 'client-notice'"
        tabindex="-1"
        [textContent]="f.text"
      ></p>
    }
  `,
})
export class KmCardFeedback {
  readonly feedback = input<CardFeedback | null>(null);
  private readonly message = viewChild<ElementRef<HTMLElement>>('message');

  constructor() {
    // A new message (a new object) takes focus once it is drawn.
    afterRenderEffect(() => {
      if (this.feedback()) this.message()?.nativeElement.focus();
    });
  }
}
