import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { AuthStore } from '@klantmonitor/dashboard/data-access';
import { LanguageService } from '@klantmonitor/dashboard/util-i18n';
import { navigationFor } from './navigation';

/** Layout for signed-in staff: header, role-aware menu, language switch, content. */
@Component({
  selector: 'km-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#inhoud">{{ 'app.skip' | translate }}</a>
    <header class="topbar">
      <a routerLink="/start" class="brand">Klantmonitor</a>
      @if (me(); as me) {
        <span class="who" data-testid="who">
          <span>{{ me.name ?? me.email }}</span>
          <span class="role"
            >{{ 'roles.' + me.role | translate }}
            @if (me.organisation) {
              · {{ me.organisation.name }}
            }
          </span>
        </span>
      }
      <div class="topbar-actions">
        <label class="visually-hidden" for="taal">{{ 'lang.label' | translate }}</label>
        <select id="taal" [value]="languages.current()" (change)="switchLanguage($event)">
          <option value="nl" lang="nl">Nederlands</option>
          <option value="en" lang="en">English</option>
        </select>
        <button type="button" class="secondary" (click)="logout()">{{ 'nav.logout' | translate }}</button>
      </div>
    </header>
    <div class="layout">
      <nav class="sidenav" [attr.aria-label]="'nav.main' | translate">
        <ul>
          @for (item of nav(); track item.link) {
            <li>
              @if (item.external) {
                <!-- Tools outside the app open in a new tab, so the app stays where it was. -->
                <a [href]="item.link" target="_blank" rel="noopener">
                  {{ item.label | translate }}<span class="visually-hidden"> ({{ 'nav.newTab' | translate }})</span>
                  <span aria-hidden="true"> ↗</span>
                </a>
              } @else {
                <a [routerLink]="item.link" routerLinkActive="active" ariaCurrentWhenActive="page">{{
                  item.label | translate
                }}</a>
              }
            </li>
          }
        </ul>
      </nav>
      <main id="inhoud" tabindex="-1">
        <router-outlet />
      </main>
    </div>
  `,
})
export class Shell {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  protected readonly languages = inject(LanguageService);
  protected readonly me = this.auth.me;
  protected readonly nav = computed(() => {
    const me = this.auth.me();
    return navigationFor(this.auth.role(), me?.organisation?.id ?? null, !!me?.totpRequired && !me.totpEnabled);
  });

  protected switchLanguage(event: Event): void {
    void this.languages.use((event.target as HTMLSelectElement).value === 'en' ? 'en' : 'nl');
  }

  protected logout(): void {
    this.auth.logout();
    void this.router.navigateByUrl('/inloggen');
  }
}
