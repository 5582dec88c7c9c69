import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { AuthStore } from '@klantmonitor/dashboard/data-access';

/** First page after sign-in: who you are, for which organisation, and what this role does here. */
@Component({
  selector: 'km-start-page',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (me(); as me) {
      <h1>{{ 'start.hello' | translate: { name: me.name ?? me.email } }}</h1>
      <p class="lead" data-testid="role-intro">
        {{
          (me.role === 'platform_admin' ? 'start.platform' : 'start.' + me.role)
            | translate
        }}
      </p>
      @if (me.organisation; as org) {
        <section class="card">
          <h2>{{ 'start.organisation' | translate }}</h2>
          <p data-testid="organisation-name">{{ org.name }}</p>
          <h3>{{ 'start.municipalities' | translate }}</h3>
          <ul class="chips">
            @for (m of org.municipalities; track m.code) {
              <li>
                {{ m.name }} <span class="muted">({{ m.code }})</span>
              </li>
            }
          </ul>
        </section>
      }
    }
  `,
})
export class StartPage {
  protected readonly me = inject(AuthStore).me;
}
