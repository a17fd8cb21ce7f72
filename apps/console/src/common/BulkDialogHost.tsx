import { createContext, useContext, useState, type ReactNode } from 'react';

/** Shows a dialog in the host (null: none). */
type ShowDialog = (dialog: ReactNode) => void;

const HostContext = createContext<ShowDialog | null>(null);

/**
 * Where a list's bulk-action dialogs are drawn: inside the List, beside its table. The table gives way
 * to its empty state when its last rows leave the list (approving the last submitted requests of a
 * list filtered on "submitted"), and a dialog drawn inside the table's bulk-action toolbar went with
 * it, outcomes and all; drawn here, it stays until it is closed.
 */
export function BulkDialogHost({ children }: { children: ReactNode }) {
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
 * A bulk action's button and its dialog: `dialog(onClose)` is drawn by the list's BulkDialogHost when
 * there is one (it outlives the table), otherwise beside the button.
 */
export function BulkActionButton({ button, dialog }: { button: (open: () => void) => ReactNode; dialog: (onClose: () => void) => ReactNode }) {
  const show = useContext(HostContext);
  const [open, setOpen] = useState(false);
  if (show) return <>{button(() => show(dialog(() => show(null))))}</>;
  return (
    <>
      {button(() => setOpen(true))}
      {open && dialog(() => setOpen(false))}
    </>
  );
}
