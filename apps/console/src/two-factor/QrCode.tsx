import { Box } from '@mui/material';
import { useMemo } from 'react';
import { encodeQr } from './qr';

const QUIET_ZONE = 4;

/** `text` as a QR code (an SVG, dark modules on white with the 4-module quiet zone), for a phone's camera. */
export function QrCode({ text, label, pixels = 220 }: { text: string; label: string; pixels?: number }) {
  const qr = useMemo(() => encodeQr(text), [text]);
  const path = useMemo(() => {
    let d = '';
    qr.modules.forEach((row, y) => row.forEach((dark, x) => { if (dark) d += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`; }));
    return d;
  }, [qr]);
  const side = qr.size + 2 * QUIET_ZONE;
  return (
    <Box
      component="svg"
      role="img"
      aria-label={label}
      data-qr-version={qr.version}
      viewBox={`0 0 ${side} ${side}`}
      width={pixels}
      height={pixels}
      shapeRendering="crispEdges"
      sx={{ display: 'block', bgcolor: '#fff' }}
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </Box>
  );
}
