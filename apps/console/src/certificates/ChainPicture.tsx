import type { CertificateView } from '@anchorage/contracts';
import { Box, Link, Stack, Typography } from '@mui/material';
import { Labeled, useRecordContext } from 'react-admin';
import { useLoad } from '../common/useLoad';
import { errorText } from '../errors';
import { describeCertificate, type CertificateSummary } from '../pki/describe';

/** One link of the chain: what it is (in words, not colour), its subject and its SHA-256 fingerprint. */
interface Link {
  role: string;
  subject: string;
  sha256?: string;
  note?: string;
}

/** The links from the leaf up to the root: the x5c certificates, then the root named by the last issuer when x5c stops short of it. */
export function chainLinks(certs: CertificateSummary[]): Link[] {
  const links: Link[] = certs.map((c, i) => ({
    role: i === 0 ? 'Leaf certificate' : c.selfSigned ? 'Root CA (trust anchor)' : i === certs.length - 1 ? 'Issuing CA' : 'Intermediate CA',
    subject: c.subject, sha256: c.sha256,
  }));
  const last = certs[certs.length - 1];
  if (last && !last.selfSigned) {
    links.push({ role: 'Root CA (trust anchor)', subject: last.issuer, note: 'not sent in the chain: relying parties hold it as their trust anchor' });
  }
  return links;
}

const short = (fp: string) => `${fp.slice(0, 23)}…`;

/** The chain as a picture: boxes from the leaf to the root with "issued by" arrows, as an ordered list for screen readers. */
function Picture({ links }: { links: Link[] }) {
  return (
    <Box component="ol" aria-label="Certificate chain" sx={{ listStyle: 'none', p: 0, m: 0, display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1 }}>
      {links.map((l, i) => (
        <Box component="li" key={`${i}-${l.subject}`} sx={{ display: 'flex', alignItems: 'center', gap: 1 }} aria-label={`${l.role}: ${l.subject}`}>
          {i > 0 && (
            <Stack sx={{ alignItems: 'center', px: 0.5 }}>
              <Typography variant="caption">issued by</Typography>
              <Typography aria-hidden="true" sx={{ fontSize: 24, lineHeight: 1 }}>→</Typography>
            </Stack>
          )}
          <Box sx={{ border: 2, borderStyle: i === 0 ? 'solid' : l.sha256 ? 'double' : 'dashed', borderColor: 'text.secondary', borderRadius: 1, p: 1, maxWidth: 300 }}>
            <Typography variant="overline" component="div" sx={{ lineHeight: 1.4 }}>{l.role}</Typography>
            <Typography variant="body2" sx={{ fontWeight: 600, wordBreak: 'break-word' }}>{l.subject}</Typography>
            {l.sha256 && <Typography variant="caption" sx={{ fontFamily: 'monospace' }} title={l.sha256}>SHA-256 {short(l.sha256)}</Typography>}
            {l.note && <Typography variant="caption" component="div" color="text.secondary">{l.note}</Typography>}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

const Mono = ({ children, label }: { children: string; label: string }) => (
  <Typography variant="body2" aria-label={label} sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{children}</Typography>
);

/** The certificate decoded in the browser from its x5c: issuer, fingerprints (leaf and issuer), and the chain picture. */
export function CertificateIdentity() {
  const c = useRecordContext<CertificateView>();
  const key = c?.x5c.join('.') ?? '';
  const decoded = useLoad(key, async () => Promise.all((c?.x5c ?? []).map((d) => describeCertificate(d))));
  if (!c || decoded.loading) return null;
  const [leaf, issuer] = decoded.data ?? [];
  const links = (
    <Typography variant="body2">
      <Link href={c.caIssuersUrl} target="_blank" rel="noreferrer">issuing CA certificate</Link>
      {' · '}
      <Link href={c.crlUrl} target="_blank" rel="noreferrer">CRL</Link>
    </Typography>
  );
  if (!leaf) {
    return (
      <Labeled label="Issuer">
        <Stack>
          <Typography variant="body2" color="warning.main">This browser could not decode the certificate chain{decoded.error ? `: ${errorText(decoded.error)}` : ''}.</Typography>
          {links}
        </Stack>
      </Labeled>
    );
  }
  return (
    <Stack spacing={2}>
      <Labeled label="Issuer">
        <Stack>
          <Typography variant="body2" aria-label="Issuer name">{leaf.issuer}</Typography>
          {issuer && <Mono label="Issuer SHA-256 fingerprint">{`issuing CA SHA-256 ${issuer.sha256}`}</Mono>}
          {links}
        </Stack>
      </Labeled>
      <Labeled label="Fingerprints">
        <Stack>
          <Mono label="SHA-256 fingerprint">{`SHA-256 ${leaf.sha256}`}</Mono>
          <Mono label="SHA-1 fingerprint">{`SHA-1 ${leaf.sha1}`}</Mono>
        </Stack>
      </Labeled>
      <Labeled label="Chain">
        <Picture links={chainLinks(decoded.data!)} />
      </Labeled>
    </Stack>
  );
}
