import { Chart } from 'chart.js';

/** The scale of a downloaded chart image: sharp on slides and in print. */
export const IMAGE_SCALE = 2;
const PAD = 24 * IMAGE_SCALE;

/** Words over lines no wider than `width` (canvas text does not wrap by itself). */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A chart as a PNG for slides ("Afbeelding downloaden", issue #24): every canvas of the chart drawn
 * again at twice its size (chart.js at devicePixelRatio 2, then back), the title above, the filters
 * and the date of the figures below, on white. Returns null when the chart has no canvas yet.
 */
export async function chartImage(canvases: HTMLCanvasElement[], title: string, note: string): Promise<Blob | null> {
  const parts: HTMLCanvasElement[] = [];
  for (const c of canvases) {
    const chart = Chart.getChart(c);
    const copy = document.createElement('canvas');
    if (chart) {
      const before = chart.options.devicePixelRatio;
      chart.options.devicePixelRatio = IMAGE_SCALE;
      chart.resize();
      copy.width = c.width;
      copy.height = c.height;
      copy.getContext('2d')?.drawImage(c, 0, 0);
      chart.options.devicePixelRatio = before;
      chart.resize();
    } else {
      copy.width = c.width;
      copy.height = c.height;
      copy.getContext('2d')?.drawImage(c, 0, 0);
    }
    if (copy.width && copy.height) parts.push(copy);
  }
  if (!parts.length) return null;
  const width = Math.max(...parts.map((p) => p.width)) + 2 * PAD;
  const measure = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
  const titleFont = `bold ${18 * IMAGE_SCALE}px system-ui, sans-serif`;
  const noteFont = `${12 * IMAGE_SCALE}px system-ui, sans-serif`;
  measure.font = titleFont;
  const titleLines = wrap(measure, title, width - 2 * PAD);
  measure.font = noteFont;
  const noteLines = wrap(measure, note, width - 2 * PAD);
  const titleH = titleLines.length * 24 * IMAGE_SCALE;
  const noteH = noteLines.length * 17 * IMAGE_SCALE;
  const height = PAD + titleH + PAD / 2 + parts.reduce((s, p) => s + p.height, 0) + PAD / 2 + noteH + PAD;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1b1f24';
  ctx.textBaseline = 'top';
  ctx.font = titleFont;
  let y = PAD;
  for (const l of titleLines) {
    ctx.fillText(l, PAD, y);
    y += 24 * IMAGE_SCALE;
  }
  y += PAD / 2;
  for (const p of parts) {
    ctx.drawImage(p, PAD, y);
    y += p.height;
  }
  y += PAD / 2;
  ctx.font = noteFont;
  ctx.fillStyle = '#545c66';
  for (const l of noteLines) {
    ctx.fillText(l, PAD, y);
    y += 17 * IMAGE_SCALE;
  }
  return new Promise((resolve) => out.toBlob((b) => resolve(b), 'image/png'));
}

/** A file name from a chart's title: lower case, letters and digits, dashes between. */
export function imageFileName(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `klantmonitor-${slug || 'grafiek'}.png`;
}
