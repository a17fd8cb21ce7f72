// A real SMTP server on 127.0.0.1 that keeps what it receives (smtp-server + mailparser, from the
// nodemailer project): tests read invitations from it as a person would read their inbox, and the
// demo runs it as its mail catcher.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A received message, decoded. */
export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  raw: string;
}

/** A running receiver. */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: SMTPServer, readonly port: number, private readonly onMail?: (m: ReceivedMail) => void) {}

  /** Starts listening on `port` (0: any free port). `onMail` sees each message as it arrives. */
  static async start(port = 0, onMail?: (m: ReceivedMail) => void): Promise<SmtpReceiver> {
    let receiver: SmtpReceiver | null = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 1024 * 1024,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then((parsed) => {
            receiver!.add({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              raw,
            });
            callback();
          }, (err: Error) => callback(err));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
    receiver = new SmtpReceiver(server, address.port, onMail);
    return receiver;
  }

  /** smtp:// URL of the receiver, for ANCHORAGE_SMTP_URL. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private add(m: ReceivedMail): void {
    this.messages.push(m);
    this.onMail?.(m);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits for a message to `to` (and matching `subject`, if given) that arrived after `after` messages. */
  async waitFor(to: string, opts: { subject?: RegExp; timeoutMs?: number; after?: number } = {}): Promise<ReceivedMail> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const found = this.messages.slice(opts.after ?? 0).find((m) => m.to.includes(to.toLowerCase()) && (!opts.subject || opts.subject.test(m.subject)));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail to ${to} within ${opts.timeoutMs ?? 10_000} ms (received: ${this.messages.map((m) => m.to.join(',')).join('; ') || 'none'})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
