export { SmtpMailer, UnconfiguredMailer, MailError, type Mailer, type MailMessage } from './mailer';
