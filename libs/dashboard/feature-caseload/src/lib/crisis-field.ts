import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ControlContainer, ReactiveFormsModule } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import { CRISIS_KINDS } from '@klantmonitor/shared/domain';
import { KmControl, KmField, type FormErrors } from '@klantmonitor/dashboard/ui-forms';

/**
 * The crisis of a request for help (#26): none, or one of the kinds that make the first meeting due
 * within 3 working days. The same field when registering a client and when correcting the request.
 * Lives inside the parent's reactive form (the control `crisis`, '' for none), with its FormErrors.
 */
@Component({
  selector: 'km-crisis-field',
  imports: [ReactiveFormsModule, TranslatePipe, KmField, KmControl],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The parent's form group, so formControlName works in here.
  viewProviders: [{ provide: ControlContainer, useFactory: () => inject(ControlContainer, { skipSelf: true }) }],
  template: `
    <km-field [errors]="errors()" name="crisis" [hint]="'newClient.crisisHint' | translate">
      <select kmControl formControlName="crisis">
        <option value="">{{ 'newClient.noCrisis' | translate }}</option>
        @for (k of kinds; track k) {
          <option [value]="k">{{ 'crisis.' + k | translate }}</option>
        }
      </select>
    </km-field>
  `,
})
export class CrisisField {
  readonly errors = input.required<FormErrors>();
  protected readonly kinds = CRISIS_KINDS;
}
