import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { ClientsApi } from '@klantmonitor/dashboard/data-access';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';
import { KmCardFeedback } from './card-feedback';
import { ClientRecordStore, type CardFeedback } from './client-record.store';

/** The client's own page ("Mijn traject"): every link to it can be withdrawn at once. */
@Component({
  selector: 'km-client-portal-card',
  imports: [TranslatePipe, KmCardFeedback],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="portal-title">
      <h2 id="portal-title">{{ 'client.portalTitle' | translate }}</h2>
      <p class="muted">{{ 'client.portalIntro' | translate }}</p>
      <button type="button" (click)="revoke()" [disabled]="store.busy()" data-testid="portal-revoke">
        {{ 'client.portalRevoke' | translate }}
      </button>
      <km-card-feedback [feedback]="feedback()" />
    </section>
  `,
})
export class ClientPortalCard {
  protected readonly store = inject(ClientRecordStore);
  private readonly api = inject(ClientsApi);
  private readonly confirm = inject(ConfirmService);
  protected readonly feedback = signal<CardFeedback | null>(null);

  /** Every link to the client's own page stops working (a lost phone, a forwarded mail): asked first. */
  protected async revoke(): Promise<void> {
    if (!(await this.confirm.action('portalRevoke', this.store.t('client.portalRevokeAsk'), { danger: true }))) return;
    this.feedback.set(null);
    this.store.busy.set(true);
    try {
      const { revoked } = await firstValueFrom(this.api.revokePortalLinks(this.store.trajectoryId()));
      await this.store.reload();
      this.feedback.set({ kind: 'notice', text: this.store.t('client.portalRevoked', { count: revoked }) });
    } catch (e) {
      this.feedback.set({ kind: 'error', text: this.store.errorText(e) });
    } finally {
      this.store.busy.set(false);
    }
  }
}
