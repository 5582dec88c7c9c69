import { KLANTBELEVING_V1, responseSignals, validateAnswers } from './klantbeleving';

const all = (v: number) => Object.fromEntries(KLANTBELEVING_V1.items.map((i) => [i.code, v]));

describe('Klantbeleving template', () => {
  it('asks the five questions of docs/product.md on 1-5 scales, in Dutch and English', () => {
    expect(KLANTBELEVING_V1.items.map((i) => i.code)).toEqual([
      'onrust_financien',
      'geloof_in_oplossing',
      'geluisterd',
      'goed_geholpen',
      'weet_wat_te_doen',
    ]);
    for (const item of KLANTBELEVING_V1.items) {
      expect(item.text.nl.endsWith('?')).toBe(true);
      expect(item.text.en.endsWith('?')).toBe(true);
      expect(item.scale).toMatchObject({ min: 1, max: 5 });
    }
  });

  it('accepts a complete answer and an optional comment', () => {
    expect(validateAnswers(KLANTBELEVING_V1, all(3), 'Fijn geholpen')).toEqual([]);
    expect(validateAnswers(KLANTBELEVING_V1, all(5))).toEqual([]);
  });

  it('names each problem: outside the scale, not whole, unknown, missing, long comment', () => {
    expect(
      validateAnswers(KLANTBELEVING_V1, { ...all(3), geluisterd: 6, goed_geholpen: 2.5, kleur: 3 }, 'x'.repeat(1001)),
    ).toEqual([
      { field: 'answers.kleur', message: 'is not an item of this questionnaire' },
      { field: 'answers.geluisterd', message: 'must be a whole number from 1 to 5' },
      { field: 'answers.goed_geholpen', message: 'must be a whole number from 1 to 5' },
      { field: 'comment', message: 'must be at most 1000 characters' },
    ]);
    const { weet_wat_te_doen: _, ...missing } = all(3);
    expect(validateAnswers(KLANTBELEVING_V1, missing)).toEqual([
      { field: 'answers.weet_wat_te_doen', message: 'is required' },
    ]);
    expect(validateAnswers(KLANTBELEVING_V1, [1, 2])).toEqual([
      { field: 'answers', message: 'must be an object of item code to answer' },
    ]);
    expect(validateAnswers(KLANTBELEVING_V1, { ...all(3), onrust_financien: '3' })[0].field).toBe(
      'answers.onrust_financien',
    );
  });

  it('signals feeling badly helped (1-2) and high financial unrest (4-5)', () => {
    expect(responseSignals({ goed_geholpen: 2, onrust_financien: 3 })).toEqual(['badly_helped']);
    expect(responseSignals({ goed_geholpen: 3, onrust_financien: 4 })).toEqual(['high_unrest']);
    expect(responseSignals({ goed_geholpen: 1, onrust_financien: 5 })).toEqual(['badly_helped', 'high_unrest']);
    expect(responseSignals({ goed_geholpen: 3, onrust_financien: 3 })).toEqual([]);
  });
});
