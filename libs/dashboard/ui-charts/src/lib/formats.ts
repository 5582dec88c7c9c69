/** Dutch number formats for charts and tables (docs/analytics.md: `55,0%`, `1.234`). */
const pct = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const int = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat('nl-NL', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const dec1 = new Intl.NumberFormat('nl-NL', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export const formatPercent = (v: number | null | undefined): string => (typeof v === 'number' ? pct.format(v) : '–');
export const formatInt = (v: number | null | undefined): string => (typeof v === 'number' ? int.format(v) : '–');
export const formatDecimal = (v: number | null | undefined): string => (typeof v === 'number' ? dec.format(v) : '–');
export const formatDecimal1 = (v: number | null | undefined): string => (typeof v === 'number' ? dec1.format(v) : '–');

/** Okabe-Ito: distinguishable with every common colour-vision deficiency; never the only carrier of meaning. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];
export const REFERENCE_COLOUR = '#D55E00';
/** A comparison group's line (Okabe-Ito bluish green), dotted beside the dashed national one. */
export const GROUP_COLOUR = '#009E73';
