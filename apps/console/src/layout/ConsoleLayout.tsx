import type { ReactNode } from 'react';
import { AppBar, Layout, Logout, Menu, UserMenu } from 'react-admin';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { TwoFactorMenuItem } from '../two-factor';

/** How a member admin's entries read: it sees one organization and that organization's certificates. */
const MEMBER_ADMIN_LABELS: Record<string, string> = { organizations: 'My organization', certificates: 'My certificates' };

/** The resources' entries; each shows only if the user may list it (authProvider.canAccess). */
function ConsoleMenu() {
  const { permissions } = useConsolePermissions();
  const labels = isMemberAdmin(permissions) ? MEMBER_ADMIN_LABELS : {};
  return (
    <Menu>
      {['communities', 'organizations', 'certificates', 'users'].map((name) => (
        <Menu.ResourceItem key={name} name={name} {...(labels[name] ? { primaryText: labels[name] } : {})} />
      ))}
    </Menu>
  );
}

function ConsoleUserMenu() {
  return (
    <UserMenu>
      <TwoFactorMenuItem />
      <Logout />
    </UserMenu>
  );
}

function ConsoleAppBar() {
  return <AppBar userMenu={<ConsoleUserMenu />} />;
}

/** react-admin's layout with the console's menu (by role) and user menu (two-factor setup, sign out). */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  return <Layout appBar={ConsoleAppBar} menu={ConsoleMenu}>{children}</Layout>;
}
