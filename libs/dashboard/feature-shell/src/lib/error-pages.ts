import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';

@Component({
  selector: 'km-not-found-page',
  imports: [RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="error-page">
      <h1>{{ 'errors.notFoundTitle' | translate }}</h1>
      <p>{{ 'errors.notFound' | translate }}</p>
      <a routerLink="/start" class="button primary">{{ 'errors.toStart' | translate }}</a>
    </section>
  `,
})
export class NotFoundPage {}

@Component({
  selector: 'km-forbidden-page',
  imports: [RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="error-page">
      <h1>{{ 'errors.forbiddenTitle' | translate }}</h1>
      <p>{{ 'errors.forbidden' | translate }}</p>
      <a routerLink="/start" class="button primary">{{ 'errors.toStart' | translate }}</a>
    </section>
  `,
})
export class ForbiddenPage {}
