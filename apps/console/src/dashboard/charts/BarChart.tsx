import { Box, Stack, Typography } from '@mui/material';
import { useId } from 'react';
import { niceMax, ticks, tickText } from './axis';
import { useWidth } from './useWidth';

/** One series of bars: its name (in the legend and each bar's tooltip), its colour and, to tell it apart without colour, a hatch. */
export interface BarSeries {
  name: string;
  color: string;
  hatched?: boolean;
}

/** One group of bars along the x axis (a day, a week): its axis label, a longer title and a value per series. */
export interface BarGroup {
  label: string;
  title: string;
  values: number[];
}

const M = { top: 18, right: 8, bottom: 30, left: 34 };

function Swatch({ s, id }: { s: BarSeries; id: string }) {
  return (
    <svg width="14" height="14" aria-hidden focusable="false">
      <rect x="0.5" y="0.5" width="13" height="13" fill={s.hatched ? `url(#${id})` : s.color} stroke={s.color} />
    </svg>
  );
}

/**
 * A bar chart drawn as SVG in the width it is given: grouped bars per x value, a y axis with round ticks,
 * x labels every `labelEvery` groups (or fewer, as the width allows), and (with `showValues`) each non-zero value written above its bar.
 * `summary` is the picture's accessible name; the caller adds the table of figures (ChartTable).
 */
export function BarChart({ summary, series, groups, height = 190, labelEvery = 1, showValues = false }: {
  summary: string; series: BarSeries[]; groups: BarGroup[]; height?: number; labelEvery?: number; showValues?: boolean;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const uid = useId().replace(/:/g, '');
  const plotW = Math.max(width - M.left - M.right, 10);
  const plotH = height - M.top - M.bottom;
  const top = niceMax(Math.max(0, ...groups.flatMap((g) => g.values)));
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const groupW = plotW / Math.max(groups.length, 1);
  const barW = Math.max((groupW * 0.8) / series.length, 1);
  const hatch = (i: number) => `${uid}-hatch-${i}`;
  // never more labels than fit (about 46 px each)
  const every = Math.max(labelEvery, Math.ceil(groups.length / Math.max(1, Math.floor(plotW / 46))));
  return (
    <Box ref={ref} sx={{ width: '100%' }}>
      <svg width={width} height={height} role="img" aria-label={summary} style={{ display: 'block', fontFamily: 'inherit' }}>
        <defs>
          {series.map((s, i) => (
            <pattern key={s.name} id={hatch(i)} patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)">
              <rect width="5" height="5" fill="#fff" />
              <line x1="0" y1="0" x2="0" y2="5" stroke={s.color} strokeWidth="3" />
            </pattern>
          ))}
        </defs>
        {ticks(top).map((t) => (
          <g key={t}>
            <line x1={M.left} x2={M.left + plotW} y1={y(t)} y2={y(t)} stroke="#ddd" />
            <text x={M.left - 4} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#555">{tickText(t)}</text>
          </g>
        ))}
        {groups.map((g, gi) => {
          const x0 = M.left + gi * groupW + groupW * 0.1;
          return (
            <g key={g.label + gi}>
              {g.values.map((v, si) => {
                const s = series[si];
                const x = x0 + si * barW;
                return v > 0 ? (
                  <g key={s.name}>
                    <rect x={x} y={y(v)} width={barW} height={M.top + plotH - y(v)} fill={s.hatched ? `url(#${hatch(si)})` : s.color} stroke={s.color} strokeWidth={s.hatched ? 1 : 0}>
                      <title>{`${g.title}: ${v} ${s.name}`}</title>
                    </rect>
                    {showValues && <text x={x + barW / 2} y={y(v) - 3} textAnchor="middle" fontSize="11" fill="#222">{v}</text>}
                  </g>
                ) : null;
              })}
              {gi % every === 0 && (
                <text x={M.left + gi * groupW + groupW / 2} y={height - M.bottom + 16} textAnchor="middle" fontSize="11" fill="#555">{g.label}</text>
              )}
            </g>
          );
        })}
        <line x1={M.left} x2={M.left + plotW} y1={M.top + plotH} y2={M.top + plotH} stroke="#888" />
      </svg>
      {series.length > 1 && (
        <Stack direction="row" spacing={2} sx={{ mt: 0.5, flexWrap: 'wrap' }} aria-hidden>
          {series.map((s, i) => (
            <Stack key={s.name} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
              <Swatch s={s} id={hatch(i)} />
              <Typography variant="caption">{s.name}{s.hatched ? ' (hatched)' : ' (solid)'}</Typography>
            </Stack>
          ))}
        </Stack>
      )}
    </Box>
  );
}
