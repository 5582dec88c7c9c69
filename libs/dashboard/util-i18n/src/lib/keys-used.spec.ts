import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NL } from './nl';

/** Every file of the dashboard's libs and app (templates and code), spec files left out. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|html)$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

function has(path: string): boolean {
  let node: unknown = NL;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

/**
 * A key written out in full in a template (`'client.minutesHint' | translate`) or in code
 * (`instant('client.saved')`, `t('forms.required', ...)`) must exist: #25 found a hint that showed
 * its key on the page. Keys built at run time (`'steps.' + s`) are not checked here.
 */
describe('translation keys used by the dashboard', () => {
  const root = join(__dirname, '../../../..');
  const files = [...sources(join(root, 'dashboard')), ...sources(join(root, '../apps/dashboard/src'))];
  const literal = [
    /'([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)'\s*\|\s*translate/g,
    /(?:instant|\bt|this\.tr|store\.t)\(\s*'([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)'/g,
  ];

  it('finds the dashboard sources', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('has a Dutch text for every key written out in full', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const re of literal)
        for (const m of text.matchAll(re)) {
          checked++;
          if (!has(m[1])) missing.push(`${file.slice(root.length)}: ${m[1]}`);
        }
    }
    // The patterns do find the keys (a broken pattern would pass with nothing checked).
    expect(checked).toBeGreaterThan(400);
    expect(has('client.minutesHint') && !has('client.noSuchKey')).toBe(true);
    expect(missing).toEqual([]);
  });
});
