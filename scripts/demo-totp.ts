// Prints the demo operator's and auditor's current TOTP codes (for trying the demo without an authenticator app).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { totpCode } from '@anchorage/authority';

const file = join(process.env.ANCHORAGE_DATA_DIR ?? '.data', 'demo-users.json');
const logins = JSON.parse(readFileSync(file, 'utf8')) as { email: string; totpSecret?: string }[];
for (const l of logins) if (l.totpSecret) console.log(`${l.email}: ${totpCode(l.totpSecret, new Date())} (changes every 30 s)`);
