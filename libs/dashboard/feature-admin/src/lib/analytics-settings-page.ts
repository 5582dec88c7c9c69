import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { AnalyticsApi, apiError, localErrorText } from '@klantmonitor/dashboard/data-access';

/** Organisation admin: from how many clients a figure is shown (small-cell protection). */
@Component({
  selector: 'km-analytics-settings-page',
  imports: [ReactiveFormsModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>{{ 'analyticsSettings.title' | translate }}</h1>
    <p class="lead">{{ 'analyticsSettings.intro' | translate }}</p>
    <section class="card">
      <form [formGroup]="form" (ngSubmit)="save()" novalidate>
        <label for="minCell">{{ 'analyticsSettings.minCell' | translate }}</label>
        <p class="muted" id="minCell-hint">{{ 'analyticsSettings.hint' | translate }}</p>
        <input
          id="minCell"
          type="number"
          min="5"
          max="1000"
          step="1"
          formControlName="minCell"
          aria-describedby="minCell-hint"
          required
        />
        @if (error()) {
          <p class="error" role="alert" data-testid="settings-error">{{ error() }}</p>
        }
        @if (notice()) {
          <p class="notice" role="status" data-testid="settings-notice">{{ notice() }}</p>
        }
        <button type="submit" class="primary" [disabled]="busy() || !loaded()">
          {{ 'analyticsSettings.save' | translate }}
        </button>
      </form>
    </section>
  `,
})
export class AnalyticsSettingsPage implements OnInit {
  private readonly api = inject(AnalyticsApi);
  private readonly translate = inject(TranslateService);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  /**
   * Empty and disabled until the organisation's own value has arrived: a made-up starting value
   * could be typed over and then be overwritten by the late answer (#14, defect a).
   */
  protected readonly form = inject(FormBuilder).group({
    minCell: [{ value: null as number | null, disabled: true }, Validators.required],
  });

  async ngOnInit(): Promise<void> {
    try {
      const { minCell } = await firstValueFrom(this.api.settings());
      this.form.controls.minCell.setValue(minCell);
      this.form.controls.minCell.enable();
      this.loaded.set(true);
    } catch (e) {
      this.error.set(localErrorText(e, (k, p) => this.translate.instant(k, p), 'analyticsSettings.errors'));
    }
  }

  async save(): Promise<void> {
    this.notice.set(null);
    this.error.set(null);
    const minCell = Number(this.form.getRawValue().minCell);
    if (!Number.isInteger(minCell) || minCell < 5 || minCell > 1000) {
      this.error.set(this.translate.instant('analyticsSettings.range'));
      return;
    }
    this.busy.set(true);
    try {
      const saved = await firstValueFrom(this.api.updateSettings({ minCell }));
      this.notice.set(this.translate.instant('analyticsSettings.saved', { n: saved.minCell }));
    } catch (e) {
      this.error.set(
        apiError(e).statusCode === 400
          ? this.translate.instant('analyticsSettings.range')
          : localErrorText(e, (k, p) => this.translate.instant(k, p), 'analyticsSettings.errors'),
      );
    } finally {
      this.busy.set(false);
    }
  }
}
