import { createValidationPipe } from '@klantmonitor/api/core';
import { KLANTBELEVING_V1 } from '@klantmonitor/shared/questionnaires';
import { CreateQuestionnaireTemplateDto } from './questionnaire-template.dto';

const { version: _v, ...base } = KLANTBELEVING_V1;
const pipe = createValidationPipe();
const problems = async (body: unknown): Promise<{ field: string; message: string }[]> => {
  try {
    await pipe.transform(body, { type: 'body', metatype: CreateQuestionnaireTemplateDto });
    return [];
  } catch (e) {
    return (e as { getResponse(): { details: { field: string; message: string }[] } }).getResponse().details;
  }
};

describe('CreateQuestionnaireTemplateDto (through the api validation pipe)', () => {
  it('accepts the default template as a new version', async () => {
    expect(await problems(base)).toEqual([]);
  });

  it('names each broken field by its path', async () => {
    const bad = {
      ...base,
      code: 'Klant Beleving',
      items: [
        { ...base.items[0], scale: { ...base.items[0].scale, min: 3, max: 3 } },
        { ...base.items[1], text: { nl: '', en: 'x' } },
        { ...base.items[2], required: 'yes' },
      ],
      extra: 1,
    };
    expect((await problems(bad)).map((p) => p.field).sort()).toEqual(
      ['extra', 'code', 'items[0].scale.max', 'items[1].text', 'items[2].required'].sort(),
    );
  });

  it('refuses a repeated item code, an empty item list and a non-object', async () => {
    expect(await problems({ ...base, items: [base.items[0], base.items[0]] })).toEqual([
      { field: 'items', message: 'must not repeat an item code' },
    ]);
    expect(await problems({ ...base, items: [] })).toEqual([
      { field: 'items', message: 'must be a list of 1 to 30 items' },
    ]);
    expect(await problems('x')).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    expect(await problems({ ...base, items: [3] })).toEqual([expect.objectContaining({ field: 'items[0]' })]);
  });
});
