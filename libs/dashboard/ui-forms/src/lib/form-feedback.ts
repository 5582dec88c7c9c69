import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import type { FormErrors } from './form-errors';

/**
 * The top of a form (#25): its general message (conflict, no connection) and, for forms with more
 * than three fields, a summary of the wrong fields with links to them. Field messages themselves
 * stand under their field (km-field). Focusable (`data-km-form-message`) so FormErrors can move
 * focus here when no field is wrong.
 */
@Component({
  selector: 'km-form-feedback',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (errors().general(); as text) {
      <div class="utrecht-alert utrecht-alert--error km-form-message" role="alert" tabindex="-1" data-km-form-message>
        <p class="utrecht-alert__message">{{ text }}</p>
      </div>
    } @else if (summaryShown()) {
      <div class="utrecht-alert utrecht-alert--error km-form-summary" role="alert" tabindex="-1" data-km-form-message>
        <p class="utrecht-alert__message">
          {{ (items().length === 1 ? 'forms.summaryOne' : 'forms.summaryMany') | translate: { n: items().length } }}
        </p>
        <ul>
          @for (item of items(); track item.field) {
            <li>
              <a [href]="'#' + item.id" (click)="go($event, item.id)">{{ item.text }}</a>
            </li>
          }
        </ul>
      </div>
    }
  `,
})
export class KmFormFeedback {
  readonly errors = input.required<FormErrors>();
  protected readonly items = computed(() => this.errors().list());
  /** A summary only where a form has more than three fields and some are wrong. */
  protected readonly summaryShown = computed(
    () => Object.keys(this.errors().specs).length > 3 && this.items().length > 0,
  );

  /** The link moves focus into the field itself (a fragment alone would only scroll). */
  protected go(e: Event, id: string): void {
    const el = document.getElementById(id);
    if (!el) return;
    e.preventDefault();
    el.focus();
    el.scrollIntoView({ block: 'center' });
  }
}
