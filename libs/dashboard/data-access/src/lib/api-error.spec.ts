import { HttpErrorResponse } from '@angular/common/http';
import { apiError, localErrorText, statusErrorKey } from './api-error';

const TEXTS: Record<string, string> = {
  'page.errors.name_in_use': 'Naam bestaat al',
  'page.errors.municipalities': 'Kies een gemeente',
  'page.errors.email': 'Geen e-mailadres',
  'errors.invalid': 'Controleer',
  'errors.tooMany': 'Te vaak',
  'errors.unreachable': 'Niet bereikbaar',
  'errors.generic': 'Er ging iets mis',
};
const t = (key: string) => TEXTS[key] ?? key;
const refusal = (status: number, error: unknown) => new HttpErrorResponse({ status, error });

describe('localErrorText', () => {
  it("uses the API's code before the field, and the field's name without its index", () => {
    expect(
      localErrorText(
        refusal(409, {
          message: 'An organisation with this name already exists',
          code: 'name_in_use',
          details: [{ field: 'name', message: 'is already in use' }],
        }),
        t,
        'page.errors',
      ),
    ).toBe('Naam bestaat al');
    expect(
      localErrorText(
        refusal(400, {
          message: 'Unknown municipality',
          details: [
            {
              field: 'municipalities[2]',
              message: 'GM9999 is not a current CBS code',
            },
          ],
        }),
        t,
        'page.errors',
      ),
    ).toBe('Kies een gemeente');
    expect(
      localErrorText(
        refusal(400, {
          message: 'x',
          code: 'no_text_for_this',
          details: [{ field: 'email', message: 'must be an e-mail' }],
        }),
        t,
        'page.errors',
      ),
    ).toBe('Geen e-mailadres');
  });

  it('falls back by status, and never returns the English of the API', () => {
    const english = 'minutes: minutes must be at least 1';
    expect(
      localErrorText(
        refusal(400, {
          message: english,
          details: [{ field: 'minutes', message: english }],
        }),
        t,
        'page.errors',
      ),
    ).toBe('Controleer');
    expect(localErrorText(refusal(429, { message: 'Too many requests' }), t, 'page.errors')).toBe('Te vaak');
    expect(localErrorText(refusal(0, null), t, 'page.errors')).toBe('Niet bereikbaar');
    expect(localErrorText(refusal(503, { message: 'Service Unavailable' }), t, 'page.errors')).toBe('Er ging iets mis');
    expect(localErrorText(new Error('boom'), t, 'page.errors')).toBe('Er ging iets mis');
  });

  it('statusErrorKey reads an error as caught and the ApiError made of it alike', () => {
    const caught = refusal(403, { message: 'Forbidden' });
    expect(statusErrorKey(caught)).toBe('errors.forbidden');
    expect(statusErrorKey(apiError(caught))).toBe('errors.forbidden');
    expect(statusErrorKey(refusal(0, null))).toBe('errors.unreachable');
    expect(statusErrorKey(new Error('a bug'))).toBe('errors.generic');
  });
});
