import { accountMail } from './account-mail';

describe('account e-mails', () => {
  const link = 'https://klantmonitor.example/welkom/abc_DEF-123';

  it('invites by name and organisation, says how long the link works, in Dutch then English', () => {
    const m = accountMail({
      purpose: 'invitation',
      link,
      name: 'Sanne',
      organisation: 'Schuldhulp Noordoost',
    });
    expect(m.subject).toBe('Welkom bij Klantmonitor: kies je wachtwoord');
    expect(m.text.startsWith('Hallo Sanne,')).toBe(true);
    expect(m.text).toContain('Schuldhulp Noordoost heeft een account voor je gemaakt');
    expect(m.text).toContain('7 dagen en één keer');
    expect(m.text.indexOf('Hello Sanne,')).toBeGreaterThan(m.text.indexOf(link));
    expect(m.html).toContain(`<a href="${link}">Kies je wachtwoord</a>`);
  });

  it('sends a reset link that works 30 minutes, and escapes names in the HTML', () => {
    const m = accountMail({
      purpose: 'password_reset',
      link: link.replace('welkom', 'wachtwoord'),
      name: '<b>Ab</b>',
      organisation: null,
    });
    expect(m.subject).toBe('Nieuw wachtwoord voor Klantmonitor');
    expect(m.text).toContain('30 minuten en één keer');
    expect(m.html).toContain('Hallo &#60;b&#62;Ab&#60;/b&#62;,');
    expect(m.html).not.toContain('<b>Ab</b>');
  });
});
