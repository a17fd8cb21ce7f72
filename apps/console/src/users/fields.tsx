import type { UserRole, UserView } from '@anchorage/contracts';
import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';

/** How each role reads in the console. */
export const ROLE_LABELS: Record<UserRole, string> = { operator: 'Operator', auditor: 'Auditor', 'member-admin': 'Member admin' };

/** The user's role as a chip. */
export function RoleChip() {
  const u = useRecordContext<UserView>();
  return u ? <Chip size="small" label={ROLE_LABELS[u.role]} color={u.role === 'operator' ? 'primary' : 'default'} /> : null;
}

/** "on" or "off" for two-factor authentication. */
export const totpText = (u: UserView): string => (u.totpEnabled ? 'on' : 'off');

/** "no", or until when repeated failed sign-ins lock the account. */
export const lockText = (u: UserView, now = Date.now()): string =>
  u.lockedUntil && Date.parse(u.lockedUntil) > now ? `until ${new Date(u.lockedUntil).toLocaleString()}` : 'no';
