import { createTransport, Transporter } from 'nodemailer';
import { MailMessage } from './messages';

/** What a provider said: delivered, or not with a reason and whether trying again can help. */
export type SendOutcome = { ok: true } | { ok: false; permanent: boolean; reason: string };

/** E-mail over SMTP with a connection pool; timeouts stay well inside the send lease. */
export class MailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    maxConnections = 5,
  ) {
    const sep = smtpUrl.includes('?') ? '&' : '?';
    this.transport = createTransport(
      `${smtpUrl}${sep}pool=true&maxConnections=${maxConnections}&connectionTimeout=10000&greetingTimeout=10000&socketTimeout=20000`,
    );
  }

  async send(to: string, message: MailMessage, messageId: string): Promise<SendOutcome> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return { ok: true };
    } catch (e) {
      const err = e as { responseCode?: number; code?: string; message?: string };
      // 5xx: the server refused this message for good (unknown mailbox, policy); anything else may pass later.
      const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600;
      return {
        ok: false,
        permanent,
        reason: `smtp ${err.responseCode ?? err.code ?? 'error'}: ${(err.message ?? '').slice(0, 200)}`,
      };
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * SMS through a provider's HTTP API: POST {to, text, reference} with a bearer key. The reference
 * doubles as Idempotency-Key, so a provider that honours it drops a repeated request.
 */
export class SmsSender {
  constructor(
    private readonly url: string,
    private readonly apiKey: string,
  ) {}

  async send(to: string, text: string, reference: string): Promise<SendOutcome> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.apiKey}`,
          'idempotency-key': reference,
        },
        body: JSON.stringify({ to, text, reference }),
        signal: AbortSignal.timeout(15_000),
      });
      if (res.ok) return { ok: true };
      const body = (await res.text()).slice(0, 200);
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      return { ok: false, permanent, reason: `sms ${res.status}: ${body}` };
    } catch (e) {
      return { ok: false, permanent: false, reason: `sms error: ${(e as Error).message.slice(0, 200)}` };
    }
  }
}
