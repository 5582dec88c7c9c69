import { mailMessage, smsText } from './messages';
import { pickChannel } from './planner';

const input = {
  kind: 'invitation' as const,
  organisationName: 'Kredietbank <Midden>',
  link: 'https://km.example/v/abc',
  creditCents: 250,
  questionCount: 5,
  expiresOn: '2026-12-06',
};

describe('invitation texts', () => {
  it('says who asks, how long it takes, the credit and the last day, in Dutch first', () => {
    const m = mailMessage(input);
    expect(m.subject).toBe('Hoe gaat het met de hulp? (Kredietbank <Midden>)');
    expect(m.text).toContain('Je krijgt €\u00a02,50 spaartegoed');
    expect(m.text).toContain('De link werkt tot en met 6 december.');
    expect(m.text).toContain('The link works until 6 December.');
    expect(m.text).toContain('€2.50 savings credit');
    // The number of questions is the template's, as the answer page counts them (#25).
    expect(m.text).toContain('Het zijn 5 korte vragen.');
    expect(mailMessage({ ...input, questionCount: 7 }).html).toContain('Het zijn 7 korte vragen.');
    expect(smsText({ ...input, questionCount: 6 })).toContain('Beantwoord 6 korte vragen');
    // The organisation's name is escaped in HTML; the link is a button and written out.
    expect(m.html).toContain('Kredietbank &lt;Midden&gt;');
    expect(m.html).not.toContain('<Midden>');
    expect(m.html.match(/https:\/\/km\.example\/v\/abc/g)).toHaveLength(2);
  });

  it('leaves the credit out when there is none, and marks a reminder', () => {
    const m = mailMessage({ ...input, kind: 'reminder', creditCents: 0 });
    expect(m.subject).toMatch(/^Herinnering: /);
    expect(m.text).not.toContain('spaartegoed');
  });

  it('keeps an SMS within two segments', () => {
    const s = smsText({ ...input, link: `https://klantmonitor.example.nl/v/${'x'.repeat(43)}` });
    expect(s).toMatch(/^Kredietbank <Midden>: hoe gaat het met de hulp\?/);
    expect(s.length).toBeLessThanOrEqual(2 * 153);
  });

  it("links to the client's own page in the e-mail and the SMS, still within two SMS segments", () => {
    const portalLink = `https://klantmonitor.example.nl/mijn/${'y'.repeat(43)}`;
    const withPortal = { ...input, link: `https://klantmonitor.example.nl/v/${'x'.repeat(43)}`, portalLink };
    const m = mailMessage(withPortal);
    expect(m.text).toContain(`Kijk op: ${portalLink}`);
    expect(m.text).toContain(`Your progress: ${portalLink}`);
    expect(m.html).toContain(`<a href="${portalLink}">Bekijk je traject</a>`);
    const s = smsText(withPortal);
    expect(s.endsWith(` Je traject: ${portalLink}`)).toBe(true);
    // The euro sign takes two GSM characters (escape); the rest is GSM 03.38.
    expect(s.length + 1).toBeLessThanOrEqual(2 * 153);
    expect(mailMessage(input).text).not.toContain('Kijk op:');
  });
});

describe('pickChannel', () => {
  const both = { email: true, sms: true };
  it('takes the first channel in the schedule the client can be reached on', () => {
    expect(pickChannel(['sms', 'email'], both, { email: true, phone: true })).toBe('sms');
    expect(pickChannel(['sms', 'email'], both, { email: true, phone: false })).toBe('email');
    expect(pickChannel(['sms', 'email'], { email: true, sms: false }, { email: true, phone: true })).toBe('email');
    expect(pickChannel(['sms'], { email: true, sms: false }, { email: true, phone: true })).toBeNull();
    expect(pickChannel(['email', 'sms'], both, { email: false, phone: false })).toBeNull();
  });
});
