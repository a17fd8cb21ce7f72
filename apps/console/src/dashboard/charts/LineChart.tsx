import { Box } from '@mui/material';
import { niceMax, ticks, tickText } from './axis';
import type { TimePoint } from './crl-series';
import { useWidth } from './useWidth';

export type { TimePoint };

const M = { top: 20, right: 10, bottom: 28, left: 44 };

/**
 * A line over time drawn as SVG in the width it is given, from `from` to `to` (ms), with dots at `dots`
 * points (the published CRLs); values below zero (a lapsed CRL) fall under a labelled zero line.
 * `summary` is the accessible name; the caller adds the table of figures.
 */
export function LineChart({ summary, points, dots = points, from, to, color, unit, height = 150, zeroLabel }: {
  summary: string; points: TimePoint[]; dots?: TimePoint[]; from: number; to: number; color: string; unit: string; height?: number; zeroLabel?: string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const plotW = Math.max(width - M.left - M.right, 10);
  const plotH = height - M.top - M.bottom;
  const top = niceMax(Math.max(0, ...points.map((p) => p.v)));
  const bottom = Math.min(0, ...points.map((p) => p.v));
  const span = top - bottom || 1;
  const x = (t: number) => M.left + ((t - from) / Math.max(to - from, 1)) * plotW;
  const y = (v: number) => M.top + plotH - ((v - bottom) / span) * plotH;
  const xTicks = [0, 1, 2, 3].map((i) => from + ((to - from) * i) / 3);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  return (
    <Box ref={ref} sx={{ width: '100%' }}>
      <svg width={width} height={height} role="img" aria-label={summary} style={{ display: 'block', fontFamily: 'inherit' }}>
        {ticks(top).map((t) => (
          <g key={t}>
            <line x1={M.left} x2={M.left + plotW} y1={y(t)} y2={y(t)} stroke="#e3e3e3" />
            <text x={M.left - 4} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#555">{tickText(t)}</text>
          </g>
        ))}
        {bottom < 0 && (
          <rect x={M.left} y={y(0)} width={plotW} height={y(bottom) - y(0)} fill="#fdecea" />
        )}
        <line x1={M.left} x2={M.left + plotW} y1={y(0)} y2={y(0)} stroke="#888" strokeDasharray={zeroLabel ? '4 3' : undefined} />
        {zeroLabel && bottom < 0 && <text x={M.left + 4} y={y(0) + 12} fontSize="11" fill="#b71c1c">{zeroLabel}</text>}
        <text x={M.left + 4} y={11} fontSize="11" fill="#555">{unit}</text>
        {xTicks.map((t, i) => (
          <text key={t} x={x(t)} y={height - 8} fontSize="11" fill="#555" textAnchor={i === 0 ? 'start' : i === 3 ? 'end' : 'middle'}>
            {new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}
          </text>
        ))}
        {points.length > 0 && <path d={path} fill="none" stroke={color} strokeWidth="2" />}
        {dots.map((p) => <circle key={`${p.t}:${p.v}`} cx={x(p.t)} cy={y(p.v)} r="3" fill={color} />)}
      </svg>
    </Box>
  );
}
