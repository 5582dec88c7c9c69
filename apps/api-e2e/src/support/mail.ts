/** Reads what the loopback SMTP server and SMS provider (tools/mail-catcher) received. */
export interface CaughtMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string | null;
}
export interface CaughtSms {
  to: string;
  text: string;
  reference: string | null;
}

const mailUrl = (base?: string) => base ?? (process.env['KM_E2E_MAIL_URL'] as string);

export async function mailsTo(address: string, base?: string): Promise<CaughtMail[]> {
  return (await fetch(`${mailUrl(base)}/api/messages?to=${encodeURIComponent(address)}`)).json();
}

export async function smsTo(phone: string, base?: string): Promise<CaughtSms[]> {
  return (await fetch(`${mailUrl(base)}/api/sms?to=${encodeURIComponent(phone)}`)).json();
}

/** Waits until `address` has received at least `count` messages; returns them. */
export async function waitForMails(
  address: string,
  count = 1,
  timeoutMs = 20_000,
  base?: string,
): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await mailsTo(address, base);
    if (list.length >= count) return list;
    if (Date.now() > deadline)
      throw new Error(`${address} received ${list.length} of ${count} messages within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitForSms(phone: string, count = 1, timeoutMs = 20_000, base?: string): Promise<CaughtSms[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await smsTo(phone, base);
    if (list.length >= count) return list;
    if (Date.now() > deadline)
      throw new Error(`${phone} received ${list.length} of ${count} SMS within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The token of the /v/<token> link in a message. */
export function linkToken(text: string): string {
  const m = /\/v\/([A-Za-z0-9_-]{43})\b/.exec(text);
  if (!m) throw new Error(`no questionnaire link in: ${text.slice(0, 300)}`);
  return m[1];
}
