import { Box, Card, CardContent, Link, Stack, Typography } from '@mui/material';
import type { ReactElement, ReactNode } from 'react';
import { RecordContextProvider, useCreatePath, useListContext, useResourceContext, useTranslate, type RaRecord } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import { ListDialogHost } from './ListDialogHost';
import { useNarrow } from './narrow';

/**
 * A list's body that fits a phone: one card per record (`cards`, usually RecordCards) below MUI's `sm`
 * breakpoint, the table (`children`) above it, where its bulk actions and row click stay as they are. Row
 * actions' dialogs (useListDialog) are drawn beside both, so one open when the screen crosses the breakpoint
 * (a tablet turned) stays open.
 */
export function CardsWhenNarrow({ cards, children }: { cards: ReactElement; children: ReactElement }) {
  return <ListDialogHost>{useNarrow() ? cards : children}</ListDialogHost>;
}

/** One labelled value of a record's card (inside RecordCards): the label above, the value (a field, a chip, text) below. */
export function CardField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" color="text.secondary" component="div">{label}</Typography>
      <Box sx={{ typography: 'body2' }}>{children}</Box>
    </Box>
  );
}

/**
 * The records of the list in context as cards (a phone's list): `title` heads each card and, with `link`
 * "show", opens the record's page (the whole card is the link's target, as a table row's click is; then the
 * card holds no other link or button); `children` (CardFields, row actions) are shown with the record in
 * context. Long unbroken text (URIs, serials, e-mail addresses) wraps instead of widening the page.
 */
export function RecordCards<R extends RaRecord>({ title, link = false, children, label }: {
  title: (r: R) => ReactNode; link?: 'show' | false; children?: ReactNode; label?: string;
}) {
  const { data, isPending } = useListContext<R>();
  const resource = useResourceContext();
  const createPath = useCreatePath();
  const translate = useTranslate();
  if (isPending || !data) return null;
  if (data.length === 0) return <Typography variant="body2" sx={{ p: 2 }}>{translate('ra.navigation.no_results')}</Typography>;
  return (
    <Stack component="ul" aria-label={label} spacing={1} sx={{ listStyle: 'none', m: 0, p: 1 }}>
      {data.map((r) => (
        <RecordContextProvider key={r.id} value={r}>
          <Card component="li" variant="outlined" sx={{ position: 'relative', overflowWrap: 'anywhere', '&:hover': link ? { bgcolor: 'action.hover' } : undefined }}>
            <CardContent sx={{ '&:last-child': { pb: 2 } }}>
              <Typography variant="subtitle1" component="div" sx={{ fontWeight: 500, mb: 0.5 }}>
                {link ? (
                  <Link component={RouterLink} to={createPath({ resource, id: r.id, type: link })} underline="hover" color="inherit"
                    sx={{ '&::after': { content: '""', position: 'absolute', inset: 0 } }}>
                    {title(r)}
                  </Link>
                ) : title(r)}
              </Typography>
              <Stack direction="row" useFlexGap spacing={2} sx={{ flexWrap: 'wrap', rowGap: 1 }}>{children}</Stack>
            </CardContent>
          </Card>
        </RecordContextProvider>
      ))}
    </Stack>
  );
}
