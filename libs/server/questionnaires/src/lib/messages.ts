/**
 * The texts of invitations and reminders: plain Dutch (B1) first, one English line beside it.
 * No client data in them beyond what the link needs; the organisation's name says who asks.
 */
import { Channel } from '@klantmonitor/shared/questionnaires';

export interface MessageInput {
  kind: 'invitation' | 'reminder';
  organisationName: string;
  link: string;
  /** The client's own page ("Mijn traject"): where they are and what comes next. */
  portalLink?: string;
  creditCents: number;
  /** The questions the answer page asks, counted as it does (the comment is extra). */
  questionCount: number;
  /** Last day the link works (YYYY-MM-DD). */
  expiresOn: string;
}

export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

// Intl formatters are costly to build: one of each, shared by every message.
const EURO_NL = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });
const EURO_EN = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' });
const DAY_NL = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', timeZone: 'UTC' });
const DAY_EN = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });

export const euro = (cents: number): string => EURO_NL.format(cents / 100);
const euroEn = (cents: number): string => EURO_EN.format(cents / 100);
const dayNl = (iso: string): string => DAY_NL.format(new Date(`${iso}T00:00:00Z`));
const dayEn = (iso: string): string => DAY_EN.format(new Date(`${iso}T00:00:00Z`));

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function mailMessage(m: MessageInput): MailMessage {
  const credit = m.creditCents > 0;
  const subject =
    m.kind === 'reminder'
      ? `Herinnering: hoe gaat het met de hulp? (${m.organisationName})`
      : `Hoe gaat het met de hulp? (${m.organisationName})`;
  const lines = [
    'Hallo,',
    '',
    m.kind === 'reminder'
      ? `Een paar dagen geleden vroegen we hoe het gaat met de hulp bij je geldzorgen. Heb je even tijd?`
      : `${m.organisationName} wil graag weten hoe het gaat met de hulp bij je geldzorgen.`,
    `Het zijn ${m.questionCount} korte vragen. Het duurt ongeveer 2 minuten.`,
    ...(credit ? [`Je krijgt ${euro(m.creditCents)} spaartegoed als je de vragen invult.`] : []),
    '',
    `Vul de vragen in: ${m.link}`,
    '',
    `De link werkt tot en met ${dayNl(m.expiresOn)}. Je antwoorden helpen ons om de hulp beter te maken.`,
    '',
    ...(m.portalLink ? [`Wil je zien hoe ver je bent en wat de volgende stap is? Kijk op: ${m.portalLink}`, ''] : []),
    `Met vriendelijke groet,`,
    m.organisationName,
    '',
    '---',
    `English: ${m.organisationName} would like to know how the help with your money worries is going. ` +
      `${m.questionCount} short questions${credit ? `, ${euroEn(m.creditCents)} savings credit` : ''}. The link works until ${dayEn(m.expiresOn)}.` +
      (m.portalLink ? ` Your progress: ${m.portalLink}` : ''),
  ];
  const portal = m.portalLink ? escapeHtml(m.portalLink) : null;
  const org = escapeHtml(m.organisationName);
  const link = escapeHtml(m.link);
  const html = `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:17px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<p>Hallo,</p>
<p>${m.kind === 'reminder' ? 'Een paar dagen geleden vroegen we hoe het gaat met de hulp bij je geldzorgen. Heb je even tijd?' : `${org} wil graag weten hoe het gaat met de hulp bij je geldzorgen.`}</p>
<p>Het zijn ${m.questionCount} korte vragen. Het duurt ongeveer 2 minuten.${credit ? ` Je krijgt <strong>${euro(m.creditCents)} spaartegoed</strong> als je de vragen invult.` : ''}</p>
<p><a href="${link}" style="display:inline-block;padding:14px 24px;background:#154273;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">Vragen invullen</a></p>
<p>Werkt de knop niet? Kopieer dan deze link: <br><span style="word-break:break-all">${link}</span></p>
<p>De link werkt tot en met ${dayNl(m.expiresOn)}.</p>
${
  portal
    ? `<p>Wil je zien hoe ver je bent en wat de volgende stap is? <a href="${portal}">Bekijk je traject</a></p>
`
    : ''
}<p>Met vriendelijke groet,<br>${org}</p>
<hr>
<p lang="en" style="font-size:14px;color:#444">${org} would like to know how the help with your money worries is going. ${m.questionCount} short questions${credit ? `, ${euroEn(m.creditCents)} savings credit` : ''}. The link works until ${dayEn(m.expiresOn)}.</p>
</body></html>`;
  return { subject, text: lines.join('\n'), html };
}

/** One SMS (kept short: one or two segments). */
export function smsText(m: MessageInput): string {
  const credit = m.creditCents > 0 ? ` en krijg ${euro(m.creditCents)} spaartegoed` : '';
  const lead = m.kind === 'reminder' ? 'Herinnering van' : '';
  const portal = m.portalLink ? ` Je traject: ${m.portalLink}` : '';
  return `${lead ? `${lead} ${m.organisationName}: ` : `${m.organisationName}: `}hoe gaat het met de hulp? Beantwoord ${m.questionCount} korte vragen${credit}: ${m.link}${portal}`;
}

export const messageFor = (channel: Channel, m: MessageInput) => (channel === 'email' ? mailMessage(m) : smsText(m));
