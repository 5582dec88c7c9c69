import {
  afterNextRender,
  ApplicationRef,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injectable,
  Signal,
  signal,
} from '@angular/core';

/**
 * Whether the page is being printed. Charts and tables that are not on screen are not drawn (a
 * page of 342 municipalities has two charts of 6,900 px and three tables of 343 rows), so before
 * the browser lays out the printed pages everything is drawn, at once.
 */
@Injectable({ providedIn: 'root' })
export class PrintState {
  readonly printing = signal(false);
  private readonly app = inject(ApplicationRef);

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('beforeprint', () => this.begin());
    window.addEventListener('afterprint', () => this.printing.set(false));
    // Print media without the print events (a print preview emulated by tools, some browsers).
    window
      .matchMedia?.('print')
      ?.addEventListener?.('change', (e) => (e.matches ? this.begin() : this.printing.set(false)));
  }

  /** Draws every chart and table now (synchronously: the browser prints right after this event). */
  begin(): void {
    this.printing.set(true);
    try {
      this.app.tick();
    } catch {
      // Already inside a change detection pass: it draws them itself.
    }
  }
}

/**
 * True once the host element comes within `margin` of the viewport, or while the page prints;
 * from then on the chart keeps its canvas. Without IntersectionObserver (tests in jsdom) at once.
 */
export function nearViewport(margin = '300px'): Signal<boolean> {
  const host = inject(ElementRef).nativeElement as HTMLElement;
  const print = inject(PrintState);
  const seen = signal(typeof IntersectionObserver === 'undefined');
  if (!seen()) {
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          seen.set(true);
          observer.disconnect();
        }
      },
      { rootMargin: margin },
    );
    afterNextRender(() => observer.observe(host));
    inject(DestroyRef).onDestroy(() => observer.disconnect());
  }
  return computed(() => seen() || print.printing());
}
