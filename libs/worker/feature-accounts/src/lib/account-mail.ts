import type { AccountLinkPurpose } from '@klantmonitor/shared/domain';
import type { MailMessage } from '@klantmonitor/server/questionnaires';

export interface AccountMailInput {
  purpose: AccountLinkPurpose;
  /** The whole link, token included. */
  link: string;
  name: string | null;
  organisation: string | null;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The e-mail with a link to set one's password: plain Dutch (staff are addressed with "je", as in
 * the app), English below it. Says how long the link works and what to do when it was not asked for.
 */
export function accountMail(input: AccountMailInput): MailMessage {
  const hello = input.name ? `Hallo ${input.name},` : 'Hallo,';
  const helloEn = input.name ? `Hello ${input.name},` : 'Hello,';
  const org = input.organisation ?? 'Klantmonitor';
  const nl =
    input.purpose === 'invitation'
      ? [
          hello,
          `${org} heeft een account voor je gemaakt in Klantmonitor. Kies je eigen wachtwoord via deze link:`,
          input.link,
          'De link werkt 7 dagen en één keer. Daarna log je in met je e-mailadres en dat wachtwoord.',
          'Verwachtte je dit niet? Dan hoef je niets te doen.',
        ]
      : [
          hello,
          'Je vroeg om een nieuw wachtwoord voor Klantmonitor. Kies het via deze link:',
          input.link,
          'De link werkt 30 minuten en één keer. Je wordt daarna overal uitgelogd.',
          'Vroeg je dit niet? Dan hoef je niets te doen: je wachtwoord blijft hetzelfde.',
        ];
  const en =
    input.purpose === 'invitation'
      ? [
          helloEn,
          `${org} has made an account for you in Klantmonitor. Choose your own password with the link above; it works for 7 days, once.`,
        ]
      : [
          helloEn,
          'You asked for a new Klantmonitor password. Choose it with the link above; it works for 30 minutes, once. Did not ask? Then do nothing.',
        ];
  const subject =
    input.purpose === 'invitation'
      ? 'Welkom bij Klantmonitor: kies je wachtwoord'
      : 'Nieuw wachtwoord voor Klantmonitor';
  const text = [...nl, '', '---', '', ...en].join('\n\n');
  const html = [
    ...nl.map((line) =>
      line === input.link
        ? `<p><a href="${escape(input.link)}">${input.purpose === 'invitation' ? 'Kies je wachtwoord' : 'Kies een nieuw wachtwoord'}</a></p>`
        : `<p>${escape(line)}</p>`,
    ),
    '<hr>',
    ...en.map((line) => `<p lang="en">${escape(line)}</p>`),
  ].join('\n');
  return { subject, text, html };
}
