import type { OrganizationContact, OrganizationProfile } from '@anchorage/contracts';
import { Box, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';

const contact = (c?: Partial<OrganizationContact>) => (c ? [c.name, c.email, c.phone].filter(Boolean).join(' · ') : '—');

/** A submitted organization profile, read-only (the operator's review, the member's own view while waiting). */
export function ProfileView({ profile }: { profile: Partial<OrganizationProfile> }) {
  if (!profile.legalName) return <Typography variant="body2" color="text.secondary">No profile submitted yet.</Typography>;
  const a = profile.address;
  const rows: [string, ReactNode][] = [
    ['Legal name', profile.legalName],
    ['Identifiers', (profile.identifiers ?? []).map((i) => (
      <div key={`${i.type}:${i.value}`}>{i.type}{i.label ? ` (${i.label})` : ''}: <Box component="span" sx={{ fontFamily: 'monospace' }}>{i.value}</Box></div>
    ))],
    ['Address', a ? [...a.lines, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean).map((l) => <div key={l}>{l}</div>) : '—'],
    ['Technical contact', contact(profile.technicalContact)],
    ['Security contact', contact(profile.securityContact)],
    ['Requested SAN URIs', (profile.requestedSanUris ?? []).map((u) => <div key={u}><Box component="span" sx={{ fontFamily: 'monospace' }}>{u}</Box></div>)],
  ];
  return (
    <Table size="small" aria-label="Organization profile" sx={{ maxWidth: 900 }}>
      <TableBody>
        {rows.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell component="th" scope="row" sx={{ width: 200, color: 'text.secondary', verticalAlign: 'top' }}>{label}</TableCell>
            <TableCell>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
