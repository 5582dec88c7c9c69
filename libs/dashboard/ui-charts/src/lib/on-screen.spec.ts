import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideTranslateService } from '@ngx-translate/core';
import { ChartFrame, ChartTable } from './chart-frame';
import { PrintState } from './on-screen';
import { ShareBar, ShareBarsChart } from './share-bars-chart';

@Component({
  imports: [ChartFrame, ShareBarsChart],
  template: `
    <km-chart-frame testId="c" title="Gemeenten" [table]="table">
      <km-share-bars [bars]="bars()" label="Gemeenten" suppressedLabel="minder dan 10" />
    </km-chart-frame>
  `,
})
class Host {
  readonly bars = signal<ShareBar[]>([]);
  readonly table: ChartTable = {
    columns: ['Gemeente', 'Aandeel'],
    rows: [
      ['Zwolle', '55,0%'],
      ['Totaal', '50,0%'],
    ],
  };
}

const bars = (n: number): ShareBar[] =>
  Array.from({ length: n }, (_, i) => ({
    label: `Gemeente ${i + 1}`,
    value: 0.5,
  }));

describe('charts drawn only when seen or printed', () => {
  beforeEach(() => {
    // jsdom has no canvas: chart.js says so on the console; the test looks at the elements.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    TestBed.configureTestingModule({
      providers: [provideTranslateService()],
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('makes the table only when it is asked for or the page prints', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[data-testid="c-table"]')).toBeNull();
    // Printing: the table is made at once, without waiting for a change detection pass.
    TestBed.inject(PrintState).begin();
    expect(el.querySelectorAll('[data-testid="c-table"] tbody tr').length).toBe(2);
    window.dispatchEvent(new Event('afterprint'));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="c-table"]')).toBeNull();
    (el.querySelector('[data-testid="c-toggle"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="c-table"]')?.textContent).toContain('Zwolle');
  });

  it('draws a long list of bars as parts of 50 on one scale', async () => {
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.bars.set(bars(120));
    await fixture.whenStable();
    const labels = [...fixture.nativeElement.querySelectorAll('canvas')].map((c: HTMLCanvasElement) =>
      c.getAttribute('aria-label'),
    );
    // 120 bars: 1-50, 51-100, 101-120.
    expect(labels).toEqual(['Gemeenten (1–50)', 'Gemeenten (51–100)', 'Gemeenten (101–120)']);
    fixture.componentInstance.bars.set(bars(7));
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelectorAll('canvas').length).toBe(1);
    expect(fixture.nativeElement.querySelector('canvas').getAttribute('aria-label')).toBe('Gemeenten');
  });
});
