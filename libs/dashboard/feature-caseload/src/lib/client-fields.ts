import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ControlContainer, ReactiveFormsModule } from '@angular/forms';
import { TranslatePipe } from '@ngx-translate/core';
import { BIRTH_YEAR_BANDS, HOUSEHOLD_TYPES, INCOME_BANDS, TEXT_LIMITS } from '@klantmonitor/shared/domain';
import { KmControl, KmField, type FormErrors } from '@klantmonitor/dashboard/ui-forms';

/**
 * A client's contact data and intake background (e-mail, phone, household, income, birth years):
 * the same fields when registering a client and when changing the details. Lives inside the
 * parent's reactive form (the controls `email`, `phone`, `householdType`, `incomeBand`,
 * `birthYearBand`), with its FormErrors.
 */
@Component({
  selector: 'km-client-fields',
  imports: [ReactiveFormsModule, TranslatePipe, KmField, KmControl],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The parent's form group, so formControlName works in here.
  viewProviders: [{ provide: ControlContainer, useFactory: () => inject(ControlContainer, { skipSelf: true }) }],
  template: `
    <km-field [errors]="errors()" name="email" [max]="limits.email">
      <input kmControl type="email" formControlName="email" autocomplete="off" />
    </km-field>
    <km-field [errors]="errors()" name="phone" [max]="limits.phone">
      <input kmControl type="tel" formControlName="phone" autocomplete="off" />
    </km-field>
    <km-field [errors]="errors()" name="householdType">
      <select kmControl formControlName="householdType">
        <option value="">{{ 'newClient.unknown' | translate }}</option>
        @for (h of households; track h) {
          <option [value]="h">{{ 'households.' + h | translate }}</option>
        }
      </select>
    </km-field>
    <km-field [errors]="errors()" name="incomeBand">
      <select kmControl formControlName="incomeBand">
        <option value="">{{ 'newClient.unknown' | translate }}</option>
        @for (i of incomes; track i) {
          <option [value]="i">{{ 'incomes.' + i | translate }}</option>
        }
      </select>
    </km-field>
    <km-field [errors]="errors()" name="birthYearBand">
      <select kmControl formControlName="birthYearBand">
        <option value="">{{ 'newClient.unknown' | translate }}</option>
        @for (b of bands; track b) {
          <option [value]="b">{{ b }}</option>
        }
      </select>
    </km-field>
  `,
})
export class ClientFields {
  readonly errors = input.required<FormErrors>();
  protected readonly limits = TEXT_LIMITS;
  protected readonly households = HOUSEHOLD_TYPES;
  protected readonly incomes = INCOME_BANDS;
  protected readonly bands = BIRTH_YEAR_BANDS;
}
