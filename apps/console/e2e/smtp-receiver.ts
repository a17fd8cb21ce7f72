// A real SMTP server on 127.0.0.1 (smtp-server + mailparser, from the nodemailer project) that keeps
// what it receives, so the browser test reads the invitation the API mailed the way a person reads
// their inbox. The console's tests import no workspace library but the wire contracts, hence this
// small copy of the idea of libs/testing's receiver.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A received message, decoded. */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** A running receiver. */
export interface SmtpReceiver {
  /** smtp:// URL for ANCHORAGE_SMTP_URL. */
  url: string;
  messages: Mail[];
  /** The first message to `to` (waiting up to `timeoutMs`). */
  waitFor(to: string, timeoutMs?: number): Promise<Mail>;
  close(): Promise<void>;
}

/** Starts a receiver on an ephemeral port. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: Mail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), subject: parsed.subject ?? '', text: parsed.text ?? '' });
        for (const w of waiters.splice(0)) w();
        callback();
      }, (err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = messages.find((m) => m.to.includes(to.toLowerCase()));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${to} within ${timeoutMs} ms (received for: ${messages.map((m) => m.to.join(',')).join('; ') || 'nobody'})`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
