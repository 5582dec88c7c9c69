import { EN } from './en';
import { NL } from './nl';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('translations', () => {
  it('has every Dutch key in English and no extra ones', () => {
    expect(keys(EN).sort()).toEqual(keys(NL).sort());
  });

  it('keeps interpolation parameters the same in both languages', () => {
    const params = (s: string) => (s.match(/{{\s*\w+\s*}}/g) ?? []).sort();
    const get = (o: object, path: string) => path.split('.').reduce((x: any, k) => x[k], o) as string;
    for (const key of keys(NL)) expect(params(get(EN, key))).toEqual(params(get(NL, key)));
  });

  it('has no empty texts', () => {
    const get = (o: object, path: string) => path.split('.').reduce((x: any, k) => x[k], o) as string;
    for (const key of keys(NL)) {
      expect(get(NL, key).trim()).not.toBe('');
      expect(get(EN, key).trim()).not.toBe('');
    }
  });
});
