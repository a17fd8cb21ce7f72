import type { CommunityHierarchyView } from '@anchorage/contracts';
import { Alert, Box, Paper, Stack, Typography } from '@mui/material';
import { useDataProvider } from 'react-admin';
import { CopyButton } from '../common/CopyButton';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { colonFingerprint } from './fingerprint';

type HierarchyCa = CommunityHierarchyView['cas'][number];

/** Border of a CA's box by status, so the state shows in the outline as well as in the words inside. */
const BORDER: Record<HierarchyCa['status'], string> = { active: 'solid', 'awaiting-certificate': 'dotted', retired: 'dashed', compromised: 'double' };
const STATUS_TEXT: Record<HierarchyCa['status'], string> = { active: 'active', 'awaiting-certificate': 'awaiting its certificate', retired: 'retired', compromised: 'compromised' };

const roleText = (ca: HierarchyCa) => (ca.role === 'root' ? (ca.external ? 'Root CA (offline, outside the platform)' : 'Root CA') : 'Issuing CA');

/** One CA as a box: role, subject, status in words, key, validity and its SHA-256 fingerprint with a copy button. */
function CaBox({ ca }: { ca: HierarchyCa }) {
  return (
    <Paper variant="outlined" data-ca={ca.id} data-role={ca.role}
      sx={{ p: 1.5, borderWidth: ca.status === 'compromised' ? 4 : 2, borderStyle: BORDER[ca.status], borderColor: ca.status === 'active' ? 'primary.main' : 'text.secondary', minWidth: 0 }}>
      <Typography variant="overline" component="p" sx={{ lineHeight: 1.4 }}>{roleText(ca)}</Typography>
      <Typography variant="body2" sx={{ fontWeight: 600, wordBreak: 'break-word' }}>{ca.subject}</Typography>
      <Typography variant="body2">
        Status: <strong>{STATUS_TEXT[ca.status]}</strong> · {ca.keyType}{ca.notAfter ? ` · valid until ${new Date(ca.notAfter).toLocaleDateString()}` : ''}
      </Typography>
      {ca.sha256 ? (
        <Box sx={{ mt: 0.5 }}>
          <Typography variant="caption" component="p">SHA-256 fingerprint</Typography>
          <Typography variant="body2" data-testid="fingerprint" sx={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>{colonFingerprint(ca.sha256)}</Typography>
          <CopyButton value={colonFingerprint(ca.sha256)} label={`Copy the SHA-256 fingerprint of ${ca.subject}`} />
        </Box>
      ) : <Typography variant="body2">No certificate yet: no fingerprint.</Typography>}
    </Paper>
  );
}

/** A CA's leaf certificates, counted by state, in words and numbers. */
function Leaves({ ca }: { ca: HierarchyCa }) {
  const { active, revoked, expired } = ca.leaves;
  const items: [string, number][] = [['active', active], ['revoked', revoked], ['expired', expired]];
  return (
    <Paper variant="outlined" sx={{ p: 1, borderStyle: 'solid', bgcolor: 'action.hover' }} aria-label={`Leaf certificates of ${ca.subject}: ${active} active, ${revoked} revoked, ${expired} expired`} role="group">
      <Typography variant="caption" component="p">Leaf certificates</Typography>
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }} data-testid="leaf-counts">
        {items.map(([label, n]) => (
          <Typography key={label} variant="body2" component="span"><strong style={{ fontSize: '1.1rem' }}>{n}</strong> {label}</Typography>
        ))}
      </Stack>
    </Paper>
  );
}

/** The line between a CA and what it signs, with the relation in words for those who do not see the line. */
function Connector({ text }: { text: string }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, pl: 3, my: 0.25 }}>
      <Box aria-hidden sx={{ width: 2, height: 20, bgcolor: 'text.secondary' }} />
      <Typography variant="caption" color="text.secondary">{text}</Typography>
    </Box>
  );
}

/**
 * The community's CA hierarchy as a picture of boxes: each root, the issuing CAs it certified, and under
 * each issuing CA its leaf certificates counted (active, revoked, expired). Nested lists underneath, so a
 * screen reader reads the same tree; fits a 390 px screen (the boxes wrap, the fingerprints break).
 */
export function CaHierarchy({ communityId, version = 0 }: { communityId: string; version?: number }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const h = useLoad(`hierarchy:${communityId}:${version}`, () => dp.getCommunityHierarchy(communityId));
  if (h.error) return <Alert severity="error" role="alert">Could not load the CA hierarchy: {errorText(h.error)}</Alert>;
  if (!h.data) return <Typography variant="body2">Loading the CA hierarchy…</Typography>;
  const cas = h.data.cas;
  const roots = cas.filter((c) => c.role === 'root' || !cas.some((p) => p.id === c.parentId));
  const list = { listStyle: 'none', m: 0, p: 0 } as const;
  return (
    <Box component="section" aria-label="CA hierarchy" sx={{ maxWidth: 720, width: '100%' }}>
      <Box component="ul" sx={list}>
        {roots.map((root) => {
          const children = cas.filter((c) => c.parentId === root.id && c.id !== root.id);
          return (
            <Box component="li" key={root.id}>
              <CaBox ca={root} />
              {root.role === 'issuing' ? (
                <><Connector text="issued" /><Leaves ca={root} /></>
              ) : children.length === 0 ? <Connector text="no issuing CA yet" /> : (
                <Box component="ul" sx={{ ...list, pl: { xs: 1.5, sm: 4 }, borderLeft: 2, borderColor: 'text.secondary', ml: 3 }}>
                  {children.map((ca) => (
                    <Box component="li" key={ca.id} sx={{ pt: 1 }}>
                      <Typography variant="caption" color="text.secondary" component="p">certified by the root</Typography>
                      <CaBox ca={ca} />
                      <Connector text="issued" />
                      <Leaves ca={ca} />
                    </Box>
                  ))}
                </Box>
              )}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
