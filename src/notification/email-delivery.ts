/**
 * Email subscriptions: the Message goes through the configured SMTP relay (OSIA_SMTP_URL) to the subscriber's
 * address, as a JSON text body, the callback headers repeated as `X-OSIA-*` mail headers. The relay accepting the
 * mail is success; a refusal or no connection is a failed attempt, retried per the policy.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { OutgoingMessage, SendOutcome } from '../shared/http-delivery.js';

export class EmailDelivery {
  readonly #transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    const url = new URL(smtpUrl);
    url.searchParams.set('connectionTimeout', String(timeoutMs));
    url.searchParams.set('socketTimeout', String(timeoutMs));
    this.#transport = nodemailer.createTransport(url.toString());
  }

  async send(message: OutgoingMessage): Promise<SendOutcome> {
    const body = message.body as { subject?: string; type: string };
    try {
      await this.#transport.sendMail({
        from: this.from,
        to: message.address,
        subject: body.subject ?? `OSIA ${body.type}`,
        text: JSON.stringify(message.body, null, 2),
        headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [`X-OSIA-${name}`, value])),
      });
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }
}
