import { createContext, useContext, useState, type ReactNode } from 'react';

/** Shows a dialog in the host (null: none). */
type ShowDialog = (dialog: ReactNode) => void;

const HostContext = createContext<ShowDialog | null>(null);

/**
 * Where a list's dialogs are drawn: inside the List, beside its table or cards. A dialog drawn inside a row
 * or a bulk-action toolbar went with it when that unmounted: the table giving way to its empty state when
 * its last rows left the list (approving the last submitted requests of a list filtered on "submitted",
 * outcomes and all), or the table giving way to cards when the screen became phone-narrow (a tablet turned)
 * and back. Drawn here, a dialog stays until it is closed.
 */
export function ListDialogHost({ children }: { children: ReactNode }) {
  const [dialog, setDialog] = useState<ReactNode>(null);
  // a setter that never takes its argument for an updater function
  const show: ShowDialog = (d) => setDialog(() => d);
  return (
    <HostContext.Provider value={show}>
      {children}
      {dialog}
    </HostContext.Provider>
  );
}

/**
 * Shows a row's or a bulk action's dialog: `show(dialog)` draws it in the list's ListDialogHost when there
 * is one, otherwise it is `local`, for the caller to draw beside its button; `show(null)` closes it.
 */
export function useListDialog(): { show: ShowDialog; local: ReactNode } {
  const host = useContext(HostContext);
  const [local, setLocal] = useState<ReactNode>(null);
  return { show: host ?? ((d) => setLocal(() => d)), local: host ? null : local };
}

/** A bulk action's button and its dialog (`dialog(onClose)`), drawn by the list's host (useListDialog). */
export function BulkActionButton({ button, dialog }: { button: (open: () => void) => ReactNode; dialog: (onClose: () => void) => ReactNode }) {
  const { show, local } = useListDialog();
  return (
    <>
      {button(() => show(dialog(() => show(null))))}
      {local}
    </>
  );
}
