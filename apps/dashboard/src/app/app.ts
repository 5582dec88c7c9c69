import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { KmConfirmHost } from '@klantmonitor/dashboard/ui-forms';

@Component({
  selector: 'km-root',
  imports: [RouterOutlet, KmConfirmHost],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The confirmation dialog loads after the first page (it is not needed to show one).
  template: '<router-outlet />@defer (on idle) {<km-confirm-host />}',
})
export class App {}
