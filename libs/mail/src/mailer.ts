// Outgoing e-mail (invitations, expiry notices) over SMTP with nodemailer. The authority sees
// only the Mailer interface, so tests and the demo use the same code path against a real local SMTP
// receiver, and a platform without SMTP refuses mail with a clear message instead of losing it.
import { createTransport, type Transporter } from 'nodemailer';

/** One plain-text message (with an optional HTML alternative). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A stable Message-ID (`<id@domain>`), so a repeated message is recognised as the same one. */
  messageId?: string;
}

/** Sends e-mail. */
export interface Mailer {
  /** Hands the message to the mail server; resolves with its Message-ID once the server accepted it. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** Thrown when a message cannot be sent (no SMTP server configured, or the server refused it). */
export class MailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailError';
  }
}

/** SMTP through nodemailer; `url` like `smtp://host:25` or `smtps://user:pass@host:465`. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(url: string, private readonly from: string) {
    this.transport = createTransport(url);
  }

  async send(m: MailMessage): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text, html: m.html, ...(m.messageId ? { messageId: m.messageId } : {}) });
      return { messageId: String(info.messageId) };
    } catch (err) {
      throw new MailError(`the mail server did not accept the message to ${m.to}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** The mailer of a platform without SMTP settings: every send fails, saying what to configure. */
export class UnconfiguredMailer implements Mailer {
  async send(m: MailMessage): Promise<{ messageId: string }> {
    throw new MailError(`cannot e-mail ${m.to}: no SMTP server is configured (ANCHORAGE_SMTP_URL)`);
  }

  async close(): Promise<void> {}
}
