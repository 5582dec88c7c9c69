// Unit tests of the bench guard's comparison (node:test; run by `npm test` as "tools unit").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baselineOf, bestOf, compareWithBaseline, summaryLines } from './guard-compare.mjs';

const line = (figure, value, anchor, unit = 'ms') => ({
  bench: 'b',
  figure,
  value,
  unit,
  anchor,
  ratio: anchor ? value / anchor : null,
  target: 't',
  met: true,
});
const base = (...lines) => baselineOf(lines, { cores: 2 }, '2026-12-06');

test('a ratio 1.6 x worse than the baseline is a regression and fails', () => {
  // baseline 20 ms / anchor 10 ms = 2; now 32 / 10 = 3.2 = 1.6 x 2
  const r = compareWithBaseline(base(line('p95', 20, 10)), [line('p95', 32, 10)]);
  assert.equal(r.rows[0].status, 'regression');
  assert.ok(Math.abs(r.rows[0].worse - 1.6) < 1e-9);
  assert.equal(r.ok, false);
});

test('a ratio 1.4 x worse passes', () => {
  // 2 -> 28 / 10 = 2.8 = 1.4 x 2
  const r = compareWithBaseline(base(line('p95', 20, 10)), [line('p95', 28, 10)]);
  assert.equal(r.rows[0].status, 'ok');
  assert.ok(Math.abs(r.rows[0].worse - 1.4) < 1e-9);
  assert.equal(r.ok, true);
});

test('the ratio counts, not the value: a slower machine with a slower anchor passes', () => {
  // baseline 20 / 10 = 2; everything twice as slow now: 40 / 20 = 2
  const r = compareWithBaseline(base(line('p95', 20, 10)), [line('p95', 40, 20)]);
  assert.equal(r.rows[0].status, 'ok');
  assert.equal(r.rows[0].worse, 1);
});

test('for a rate, a lower ratio is worse', () => {
  // rows/s: baseline 5,000 / COPY 100,000 = 0.05; now 3,000 / 100,000 = 0.03: 0.05 / 0.03 = 1.67 x worse
  const r = compareWithBaseline(base(line('rows', 5000, 100000, 'rows/s')), [line('rows', 3000, 100000, 'rows/s')]);
  assert.equal(r.rows[0].status, 'regression');
  const better = compareWithBaseline(base(line('rows', 5000, 100000, 'rows/s')), [
    line('rows', 9000, 100000, 'rows/s'),
  ]);
  assert.equal(better.rows[0].status, 'ok');
  assert.ok(better.rows[0].worse < 1);
});

test('a figure of the baseline that this run did not give is reported as missing and fails', () => {
  const r = compareWithBaseline(base(line('p95', 20, 10), line('recompute', 3, 1)), [line('p95', 20, 10)]);
  const missing = r.rows.find((x) => x.key === 'b / recompute');
  assert.equal(missing.status, 'missing');
  assert.equal(r.ok, false);
});

test('a figure without its anchor this time counts as missing', () => {
  const r = compareWithBaseline(base(line('p95', 20, 10)), [line('p95', 20, null)]);
  assert.equal(r.rows[0].status, 'missing');
  assert.equal(r.ok, false);
});

test('new figures and figures without an anchor are listed, not judged', () => {
  const r = compareWithBaseline(base(line('heap', 300, null, 'MB')), [line('heap', 900, null, 'MB'), line('x', 5, 1)]);
  assert.deepEqual(
    r.rows.map((x) => [x.key, x.status]),
    [
      ['b / heap', 'no anchor'],
      ['b / x', 'new'],
    ],
  );
  assert.equal(r.ok, true);
});

test('summary lines are read from a benchmark’s output, other lines and broken JSON passed over', () => {
  const out = [
    '| table | row |',
    '{"bench":"analytics","figure":"full recompute","value":20,"unit":"s","anchor":0.5,"ratio":40,"target":"<= 30 s","met":true}',
    '{"bench":"analytics","figure":"cut',
    '  {"bench":"steps","figure":"p99","value":1,"unit":"ms","anchor":2,"ratio":0.5,"target":"x","met":true}  ',
  ].join('\n');
  assert.deepEqual(
    summaryLines(out).map((l) => [l.bench, l.figure, l.ratio]),
    [
      ['analytics', 'full recompute', 40],
      ['steps', 'p99', 0.5],
    ],
  );
});

test('the baseline keeps value, unit, anchor and ratio per figure, with machine and date', () => {
  const b = base(line('p95', 20, 10));
  assert.deepEqual(b.figures['b / p95'], { value: 20, unit: 'ms', anchor: 10, ratio: 2 });
  assert.equal(b.date, '2026-12-06');
  assert.deepEqual(b.machine, { cores: 2 });
});

test('a second run keeps, per figure, the ratio closer to the baseline: noise in one run is not a regression', () => {
  const b = base(line('p95', 20, 10), line('recompute', 30, 1, 's'));
  // first run: p95 ratio 3.4 (1.7 x worse, noise) and recompute 300 (10 x worse, real);
  // second run: p95 back to 2.2 (1.1 x), recompute still 290 (9.7 x).
  const first = [line('p95', 34, 10), line('recompute', 300, 1, 's')];
  const second = [line('p95', 22, 10), line('recompute', 290, 1, 's')];
  const r = compareWithBaseline(b, bestOf(b, first, second));
  assert.deepEqual(
    r.rows.map((x) => [x.key, x.status]),
    [
      ['b / p95', 'ok'],
      ['b / recompute', 'regression'],
    ],
  );
  assert.equal(r.ok, false);
});
