import { Admin, CustomRoutes, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { certificates } from './certificates';
import { communities } from './communities';
import { dataProvider } from './dataProvider';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { LoginPage } from './LoginPage';
import { organizations } from './organizations';
import { twoFactorRoute } from './two-factor';
import { users } from './users';

/**
 * The console: one resource per folder. What each role sees (menu entries, create forms, routes) comes
 * from authProvider.canAccess (see permissions.ts); role-dependent buttons read usePermissions.
 */
export function App() {
  return (
    <Admin title="Anchorage" dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage} layout={ConsoleLayout} requireAuth disableTelemetry>
      <Resource {...communities} />
      <Resource {...organizations} />
      <Resource {...certificates} />
      <Resource {...users} />
      <CustomRoutes>{twoFactorRoute}</CustomRoutes>
    </Admin>
  );
}
