/** Email subscriptions through a real SMTP server started by the test (smtp-server), and without a relay. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { type NotificationApp, notificationApp } from './notification-fixtures.js';

const N = '/notification/v1';

/** The raw mail as sent, its quoted-printable soft breaks and escapes undone. */
const quotedPrintable = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

interface Mail {
  to: string[];
  text: string;
}

describe('Notification by email', () => {
  const mails: Mail[] = [];
  let waiting: (() => void) | undefined;
  let smtp: SMTPServer;
  let n: NotificationApp;
  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, callback) {
        let text = '';
        stream.on('data', (chunk) => {
          text += chunk;
        });
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: quotedPrintable(text) });
          callback();
          waiting?.();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const { port } = smtp.server.address() as AddressInfo;
    n = await notificationApp({ OSIA_SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  after(async () => {
    await n.t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const nextMail = (count: number) =>
    new Promise<void>((resolve) => {
      if (mails.length >= count) return resolve();
      waiting = () => mails.length >= count && resolve();
    });

  it('sends the confirmation and, once confirmed, the notifications to the mailbox', async () => {
    const api = () => request(n.t.app);
    await api().post(`${N}/topics?name=deaths`).expect(200);
    const sub = await api().post(`${N}/subscriptions`).query({ topic: 'deaths', protocol: 'email', address: 'registrar@example.org' }).expect(200);
    assert.equal(sub.body.protocol, 'email');
    await n.engine.worker.runOnce();
    await nextMail(1);
    assert.deepEqual(mails[0]?.to, ['registrar@example.org']);
    const token = /"token": "([^"]+)"/.exec(mails[0]?.text ?? '')?.[1];
    assert.ok(token, 'the confirmation mail carries the token');
    await api().get(`${N}/subscriptions/confirm?token=${token}`).expect(200);
    await api().post(`${N}/topics/deaths/publish?subject=death`).set('Content-Type', 'text/plain').send('{"uin":"42"}').expect(200);
    await n.engine.worker.runOnce();
    await nextMail(2);
    assert.match(mails[1]?.text ?? '', /Subject: death/);
    assert.match(mails[1]?.text ?? '', /X-OSIA-message-type: Notification/i);
  });

  it('without a relay an email subscription answers 400 saying so', async () => {
    const plain = await notificationApp();
    try {
      await request(plain.t.app).post(`${N}/topics?name=t`).expect(200);
      const res = await request(plain.t.app).post(`${N}/subscriptions`).query({ topic: 't', protocol: 'email', address: 'a@example.org' }).expect(400);
      assert.match(res.body.message, /OSIA_SMTP_URL/);
    } finally {
      await plain.t.close();
    }
  });
});
