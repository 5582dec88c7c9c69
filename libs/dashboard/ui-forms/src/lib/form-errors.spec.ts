import { FormControl, FormGroup, Validators } from '@angular/forms';
import { dateRange, FormErrors } from './form-errors';

/** Texts: the key with its parameters, or a page's own text where the test gives one. */
const OWN: Record<string, string> = {
  'page.errors.email': 'Vul een geldig e-mailadres in.',
  'page.chooseReason': 'Kies eerst een reden.',
  'labels.name': 'Naam',
  'labels.email': 'E-mailadres',
  'labels.reason': 'Reden',
  'labels.day': 'Datum eerste contact',
};
const t = (key: string, params?: Record<string, unknown>) =>
  OWN[key] ?? (params ? `${key} ${JSON.stringify(params)}` : key);

const specs = {
  name: { label: 'labels.name', id: 'f-name' },
  email: { label: 'labels.email', id: 'f-email' },
  reason: { label: 'labels.reason', id: 'f-reason', required: 'page.chooseReason' },
  day: { label: 'labels.day', id: 'f-day' },
};
const form = () =>
  new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(5)] }),
    email: new FormControl('', { nonNullable: true, validators: Validators.email }),
    reason: new FormControl('', { nonNullable: true, validators: Validators.required }),
    day: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, dateRange('2000-01-01', () => '2026-12-06')],
    }),
  });

describe('FormErrors', () => {
  it('says each wrong field in the order of the form, with the page own sentence where it has one', () => {
    const errs = new FormErrors(t, 'page.errors', specs);
    const f = form();
    f.setValue({ name: 'Janneke', email: 'geen-adres', reason: '', day: '' });
    expect(errs.check(f)).toBe(false);
    // name: 7 characters, 5 allowed -> 2 too many; required label in lower case inside the sentence.
    expect(errs.list()).toEqual([
      { field: 'name', id: 'f-name', text: 'forms.tooLong {"label":"Naam","max":5,"over":2}' },
      { field: 'email', id: 'f-email', text: 'Vul een geldig e-mailadres in.' },
      { field: 'reason', id: 'f-reason', text: 'Kies eerst een reden.' },
      { field: 'day', id: 'f-day', text: 'forms.required {"label":"datum eerste contact"}' },
    ]);
    expect(errs.general()).toBeNull();
  });

  it('passes a right form and clears the old messages', () => {
    const errs = new FormErrors(t, 'page.errors', specs);
    const f = form();
    expect(errs.check(f)).toBe(false);
    f.setValue({ name: 'Jan', email: 'jan@example.nl', reason: 'other', day: '2026-12-06' });
    expect(errs.check(f)).toBe(true);
    expect(errs.list()).toEqual([]);
  });

  it('refuses a day outside the range, also one the browser could not read', () => {
    const errs = new FormErrors(t, 'page.errors', specs);
    const f = form();
    for (const day of ['1999-12-31', '2026-12-07', '06-12-2026']) {
      f.setValue({ name: 'Jan', email: '', reason: 'x', day });
      expect(errs.check(f)).toBe(false);
      expect(errs.of('day')).toBe('forms.invalid {"label":"Datum eerste contact"}');
    }
  });

  it("puts the API's details under the fields it names, the rest as one message on top", () => {
    const errs = new FormErrors(t, 'page.errors', specs);
    errs.fromApi(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'x',
        details: [
          { field: 'name', message: 'name must be at most 120 characters' },
          { field: 'email', message: 'email must be an e-mail address' },
          { field: 'name', message: 'second problem of the same field: the first one stays' },
        ],
      },
      'Controleer wat je invulde.',
    );
    expect(errs.of('name')).toBe('forms.tooLongApi {"label":"Naam","max":120}');
    expect(errs.of('email')).toBe('Vul een geldig e-mailadres in.');
    expect(errs.general()).toBeNull();
    // No field of this form named: the page's text on top, no field marked.
    errs.fromApi(
      { statusCode: 409, error: 'Conflict', message: 'x', details: [{ field: 'other', message: 'y' }] },
      'Bestaat al.',
    );
    expect(errs.list()).toEqual([]);
    expect(errs.general()).toBe('Bestaat al.');
  });
});
