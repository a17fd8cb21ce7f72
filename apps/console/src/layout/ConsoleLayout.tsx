import FactCheckIcon from '@mui/icons-material/FactCheck';
import QueueIcon from '@mui/icons-material/Queue';
import RateReviewIcon from '@mui/icons-material/RateReview';
import { useEffect, useRef, type ReactNode } from 'react';
import { AppBar, Layout, Logout, Menu, Sidebar, useGetIdentity, UserMenu, useSidebarState, type SidebarProps } from 'react-admin';
import { AUDIT_PATH } from '../audit';
import { useNarrow } from '../common/narrow';
import { canSeeAudit, canSeeQueues, isMemberAdmin, isOperator, useConsolePermissions } from '../permissions';
import { QUEUES_PATH } from '../queues';
import { TwoFactorMenuItem } from '../two-factor';

/** How a member admin's entries read: it sees one organization, its requests and its certificates. */
const MEMBER_ADMIN_LABELS: Record<string, string> = { organizations: 'My organization', 'certificate-requests': 'My requests', certificates: 'My certificates' };
/** An operator's request list opens on the waiting ones. */
const OPERATOR_LABELS: Record<string, string> = { 'certificate-requests': 'Pending requests' };

/** The organizations waiting for an operator's review. */
export const AWAITING_REVIEW_PATH = `/organizations?filter=${encodeURIComponent(JSON.stringify({ status: 'submitted' }))}`;

/**
 * The dashboard, the resources' entries (each only if the user may list it: authProvider.canAccess), the
 * audit log (auditors, operators of every community) and the queues (operators, auditors).
 */
function ConsoleMenu() {
  const { permissions } = useConsolePermissions();
  const labels = isMemberAdmin(permissions) ? MEMBER_ADMIN_LABELS : isOperator(permissions) ? OPERATOR_LABELS : {};
  return (
    <Menu>
      <Menu.DashboardItem />
      {['communities', 'organizations', 'invitations', 'certificate-requests', 'certificates', 'certifications', 'bulk-revocations', 'expiry-notices', 'revocation-subscriptions', 'conformance-endpoints', 'users'].flatMap((name) => {
        const item = <Menu.ResourceItem key={name} name={name} {...(labels[name] ? { primaryText: labels[name] } : {})} />;
        // operators get their review queue right after the organizations
        return name === 'organizations' && isOperator(permissions)
          ? [item, <Menu.Item key="awaiting-review" to={AWAITING_REVIEW_PATH} primaryText="Awaiting review" leftIcon={<RateReviewIcon />} />]
          : [item];
      })}
      {canSeeAudit(permissions) ? <Menu.Item to={AUDIT_PATH} primaryText="Audit log" leftIcon={<FactCheckIcon />} /> : null}
      {canSeeQueues(permissions) ? <Menu.Item to={QUEUES_PATH} primaryText="Queues" leftIcon={<QueueIcon />} /> : null}
    </Menu>
  );
}

/** The user menu's button is named "Profile: <name>", so its name includes the name it shows (WCAG 2.5.3). */
function ConsoleUserMenu() {
  const { identity } = useGetIdentity();
  return (
    <UserMenu label={identity?.fullName ? `Profile: ${identity.fullName}` : 'Profile'}>
      <TwoFactorMenuItem />
      <Logout />
    </UserMenu>
  );
}

function ConsoleAppBar() {
  return <AppBar userMenu={<ConsoleUserMenu />} />;
}

/**
 * The browser tab's title follows the page's own (what the app bar shows), so every screen has a title of
 * its own in the tab, the history and for screen readers: "Certificates · Anchorage console".
 */
function usePageTitle(): void {
  useEffect(() => {
    const apply = () => {
      const text = document.getElementById('react-admin-title')?.textContent?.trim();
      document.title = text ? `${text} · Anchorage console` : 'Anchorage console';
    };
    const observer = new MutationObserver(apply);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    apply();
    return () => observer.disconnect();
  }, []);
}

/**
 * react-admin's row checkboxes (DataTable's SelectRowCheckbox) put their aria-label on MUI's root span
 * instead of the input, which leaves the checkbox unnamed and the span with an attribute its role does not
 * allow: the label is moved onto the input as it appears.
 */
function useNamedRowCheckboxes(): void {
  useEffect(() => {
    const fix = () => {
      for (const span of document.querySelectorAll<HTMLElement>('span.select-item[aria-label]')) {
        span.querySelector('input')?.setAttribute('aria-label', span.getAttribute('aria-label')!);
        span.removeAttribute('aria-label');
      }
    };
    const observer = new MutationObserver(fix);
    observer.observe(document.body, { subtree: true, childList: true });
    fix();
    return () => observer.disconnect();
  }, []);
}

/**
 * On a phone-sized screen the menu is a drawer over the content; above it, a sidebar beside the content.
 * react-admin keeps one open state for both (stored across visits), so a screen that became narrow (a tablet
 * turned, a desktop window narrowed, a phone opening a session last left with the sidebar open) had the menu
 * drawn over everything, open dialogs and forms included, and left them hidden from assistive technology.
 * Here the menu is closed whenever the screen becomes narrow (from that very render, so the drawer never opens
 * on its own), and beside the content again when it widens; a desktop user's own choice is kept on loading.
 * The menu button of the app bar opens the drawer on a narrow screen as before.
 */
function ConsoleSidebar(props: SidebarProps) {
  const narrow = useNarrow();
  const [open, setOpen] = useSidebarState();
  /** Whether the menu's state was last set for a narrow screen. */
  const setForNarrow = useRef(false);
  const justNarrowed = narrow && !setForNarrow.current;
  useEffect(() => {
    if (narrow === setForNarrow.current) return;
    setForNarrow.current = narrow;
    setOpen(!narrow);
  }, [narrow, setOpen]);
  // Closed on a narrow screen, the menu's drawer is not drawn at all: a modal drawer left mounted while closed
  // took the page's aria-hidden bookkeeping with it when the screen widened again, leaving the page behind an
  // open dialog exposed to assistive technology.
  if (narrow && (justNarrowed || !open)) return null;
  return <Sidebar {...props} />;
}

/** react-admin's layout with the console's menu (by role) and user menu (two-factor setup, sign out). */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  usePageTitle();
  useNamedRowCheckboxes();
  return <Layout appBar={ConsoleAppBar} menu={ConsoleMenu} sidebar={ConsoleSidebar}>{children}</Layout>;
}
