// The demo's mail catcher: a local SMTP server that keeps every message the platform sends (one text
// file each under <data dir>/mail/) and prints its subject and links, so invitations can be followed
// without a real mail server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SmtpReceiver } from '@anchorage/testing';

const dir = join(process.env.ANCHORAGE_DATA_DIR ?? '.data', 'mail');
const port = Number(process.env.DEMO_SMTP_PORT ?? 2525);
mkdirSync(dir, { recursive: true });

SmtpReceiver.start(port, (m) => {
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${m.to[0] ?? 'unknown'}.txt`);
  writeFileSync(file, `To: ${m.to.join(', ')}\nSubject: ${m.subject}\n\n${m.text}\n`);
  const links = m.text.match(/https?:\/\/[^\s)]+/g) ?? [];
  console.log(`mail to ${m.to.join(', ')}: ${m.subject}\n  ${links.join('\n  ')}\n  (${file})`);
}).then((r) => console.log(`demo mail catcher on ${r.url}, messages in ${dir}`), (err: Error) => {
  console.error(`demo mail catcher: ${err.message}`);
  process.exit(1);
});
