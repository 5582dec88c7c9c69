import { KLANTBELEVING_V1 } from './klantbeleving';
import { validateTemplate } from './template-validation';

const { version: _v, ...base } = KLANTBELEVING_V1;

describe('validateTemplate', () => {
  it('accepts the default template as a new version', () => {
    expect(validateTemplate(base)).toEqual([]);
  });

  it('names each broken field', () => {
    const bad = {
      ...base,
      code: 'Klant Beleving',
      items: [
        { ...base.items[0], scale: { ...base.items[0].scale, min: 3, max: 3 } },
        { ...base.items[1], code: base.items[0].code },
        { ...base.items[2], text: { nl: '', en: 'x' } },
      ],
      extra: 1,
    };
    expect(validateTemplate(bad).map((p) => p.field)).toEqual([
      'extra',
      'code',
      'items[0].scale',
      'items[1].code',
      'items[2].text',
    ]);
  });

  it('refuses an empty item list and a non-object', () => {
    expect(validateTemplate({ ...base, items: [] })).toEqual([
      { field: 'items', message: 'must be a list of 1 to 30 items' },
    ]);
    expect(validateTemplate('x')).toEqual([{ field: '(body)', message: 'must be a template object' }]);
  });
});
