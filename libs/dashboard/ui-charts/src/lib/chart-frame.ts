import { ChangeDetectionStrategy, Component, ElementRef, inject, input, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { PrintState } from './on-screen';
import { chartImage, imageFileName } from './chart-image';

export interface ChartTable {
  columns: string[];
  /** Cells as shown (already formatted); the first cell of a row is its header. */
  rows: string[][];
  /** Rows shown as suppressed (greyed, never as zero). */
  suppressed?: boolean[];
}

/**
 * A chart with its table view ("Tabel"): one button switches, by keyboard too; the table has the
 * same figures in Dutch number format. Printing shows both (see the print stylesheet).
 */
@Component({
  selector: 'km-chart-frame',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="chart" [attr.data-testid]="testId()">
      <div class="chart-head">
        <figcaption [id]="testId() + '-title'">{{ title() }}</figcaption>
        @if (!tableOnly()) {
          <button
            type="button"
            class="secondary no-print"
            (click)="downloadImage()"
            [attr.data-testid]="testId() + '-image'"
          >
            {{ 'charts.downloadImage' | translate }}
          </button>
          <button
            type="button"
            class="secondary"
            [attr.aria-pressed]="showTable()"
            (click)="showTable.set(!showTable())"
            [attr.data-testid]="testId() + '-toggle'"
          >
            {{ (showTable() ? 'charts.showChart' : 'charts.showTable') | translate }}
          </button>
        }
      </div>
      @if (caption()) {
        <p class="muted chart-caption" [attr.data-testid]="testId() + '-caption'">
          {{ caption() }}
        </p>
      }
      <div class="chart-body" [hidden]="showTable() && !tableOnly()"><ng-content /></div>
      <!-- A wide table scrolls: the region takes keyboard focus so it can be scrolled without a mouse.
           Made only when shown or printed (343 rows per chart otherwise sit in the page unseen). -->
      @if (showTable() || tableOnly() || print.printing()) {
        <div
          class="table-wrap chart-table"
          [class.print-only]="!showTable() && !tableOnly()"
          tabindex="0"
          role="region"
          [attr.aria-labelledby]="testId() + '-title'"
        >
          <table [attr.data-testid]="testId() + '-table'" [attr.aria-labelledby]="testId() + '-title'">
            <thead>
              <tr>
                @for (c of table().columns; track $index) {
                  <th scope="col">{{ c }}</th>
                }
              </tr>
            </thead>
            <tbody>
              @for (r of table().rows; track $index; let i = $index) {
                <tr [class.suppressed]="table().suppressed?.[i]">
                  @for (cell of r; track $index; let first = $first) {
                    @if (first) {
                      <th scope="row">{{ cell }}</th>
                    } @else {
                      <td class="num">{{ cell }}</td>
                    }
                  }
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </figure>
  `,
})
export class ChartFrame {
  readonly title = input.required<string>();
  readonly caption = input<string | null>(null);
  readonly table = input.required<ChartTable>();
  readonly testId = input.required<string>();
  /** A table without a chart: always shown, no switch (the projected content is its note). */
  readonly tableOnly = input(false);
  /** Under the downloaded image: the filters and the date of the figures. */
  readonly imageNote = input('');
  private readonly host = inject(ElementRef<HTMLElement>);

  /** "Afbeelding downloaden": the chart as a PNG at 2x with its title, filters and date. */
  protected async downloadImage(): Promise<void> {
    const body = (this.host.nativeElement as HTMLElement).querySelector('.chart-body');
    const canvases = [...(body?.querySelectorAll('canvas') ?? [])] as HTMLCanvasElement[];
    const blob = await chartImage(canvases, this.title(), this.imageNote());
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = imageFileName(this.title());
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  protected readonly showTable = signal(false);
  protected readonly print = inject(PrintState);
}
