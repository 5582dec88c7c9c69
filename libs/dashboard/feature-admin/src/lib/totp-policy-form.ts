import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { ORGANISATION_ROLES, type OrganisationRole } from '@klantmonitor/shared/domain';
import { statusErrorKey, OrganisationsApi } from '@klantmonitor/dashboard/data-access';

/**
 * Which roles must sign in with the extra code (TOTP): an organisation's choice (organisationId
 * given) or the platform's (none given). Roles the platform requires show as ticked and fixed on
 * an organisation's form. Applies from each person's next sign-in.
 */
@Component({
  selector: 'km-totp-policy-form',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="totp-policy-title">
      <h2 id="totp-policy-title">{{ 'admin.totpPolicy.title' | translate }}</h2>
      <p>
        {{ (organisationId() ? 'admin.totpPolicy.intro' : 'admin.totpPolicy.introPlatform') | translate }}
      </p>
      <form (submit)="$event.preventDefault(); save()" novalidate>
        <fieldset>
          <legend>{{ 'admin.totpPolicy.legend' | translate }}</legend>
          @for (role of roles; track role) {
            <label class="checkbox">
              <input
                type="checkbox"
                [checked]="chosen().includes(role) || platform().includes(role)"
                [disabled]="platform().includes(role) || busy()"
                (change)="toggle(role, $any($event.target).checked)"
              />
              {{ 'roles.' + role | translate }}
              @if (platform().includes(role)) {
                <span class="muted">({{ 'admin.totpPolicy.byPlatform' | translate }})</span>
              }
            </label>
          }
        </fieldset>
        <button type="submit" class="primary" [disabled]="busy() || !loaded()">
          {{ 'admin.totpPolicy.save' | translate }}
        </button>
      </form>
      @if (message()) {
        <p
          [class]="failed() ? 'error' : 'notice'"
          [attr.role]="failed() ? 'alert' : 'status'"
          data-testid="totp-policy-message"
        >
          {{ message()! | translate }}
        </p>
      }
    </section>
  `,
})
export class TotpPolicyForm {
  private readonly api = inject(OrganisationsApi);
  /** The organisation whose policy this is; empty for the platform-wide one. */
  readonly organisationId = input<string>('');
  protected readonly roles = ORGANISATION_ROLES;
  protected readonly chosen = signal<OrganisationRole[]>([]);
  protected readonly platform = signal<OrganisationRole[]>([]);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly failed = signal(false);

  constructor() {
    effect(() => void this.load(this.organisationId()));
  }

  protected toggle(role: OrganisationRole, on: boolean): void {
    this.chosen.update((c) => (on ? [...c.filter((r) => r !== role), role] : c.filter((r) => r !== role)));
    this.message.set(null);
  }

  protected async save(): Promise<void> {
    this.busy.set(true);
    const body = {
      totpRequiredRoles: ORGANISATION_ROLES.filter((r) => this.chosen().includes(r)),
    };
    try {
      const id = this.organisationId();
      const saved = await firstValueFrom(id ? this.api.setSecurity(id, body) : this.api.setPlatformSecurity(body));
      this.chosen.set(saved.totpRequiredRoles);
      this.failed.set(false);
      this.message.set('admin.totpPolicy.saved');
    } catch (e) {
      this.failed.set(true);
      this.message.set(statusErrorKey(e));
    } finally {
      this.busy.set(false);
    }
  }

  private async load(id: string): Promise<void> {
    this.loaded.set(false);
    try {
      if (id) {
        const p = await firstValueFrom(this.api.security(id));
        this.chosen.set(p.totpRequiredRoles);
        this.platform.set(p.platformTotpRequiredRoles);
      } else {
        this.chosen.set((await firstValueFrom(this.api.platformSecurity())).totpRequiredRoles);
        this.platform.set([]);
      }
      this.loaded.set(true);
    } catch (e) {
      this.failed.set(true);
      this.message.set(statusErrorKey(e));
    }
  }
}
