import { ChangeDetectionStrategy, Component, input } from '@angular/core';

export interface FigureTile {
  title: string;
  own: { value: string; detail: string } | null;
  national: { value: string; detail: string } | null;
  ownLabel: string;
  nationalLabel: string;
}

/** The benchmark's key figures: the caller's own municipalities next to the national total. */
@Component({
  selector: 'km-figure-tiles',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul class="tiles" data-testid="tiles">
      @for (t of tiles(); track t.title) {
        <li class="tile">
          <h3>{{ t.title }}</h3>
          <dl>
            <div>
              <dt>{{ t.ownLabel }}</dt>
              <dd class="tile-value" data-testid="tile-own">
                {{ t.own?.value ?? '–' }}
              </dd>
              <dd class="muted">{{ t.own?.detail ?? '' }}</dd>
            </div>
            <div>
              <dt>{{ t.nationalLabel }}</dt>
              <dd class="tile-value" data-testid="tile-national">
                {{ t.national?.value ?? '–' }}
              </dd>
              <dd class="muted">{{ t.national?.detail ?? '' }}</dd>
            </div>
          </dl>
        </li>
      }
    </ul>
  `,
})
export class FigureTiles {
  readonly tiles = input.required<FigureTile[]>();
}
