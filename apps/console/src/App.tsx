import { Admin, CustomRoutes, Resource } from 'react-admin';
import { acceptInvitationRoute } from './accept-invitation';
import { auditRoute } from './audit';
import { authProvider } from './authProvider';
import { bulkRevocations } from './bulk-revocations';
import { certificateRequests } from './certificate-requests';
import { certificates } from './certificates';
import { certifications } from './certifications';
import { communities } from './communities';
import { conformanceEndpoints } from './conformance';
import { Dashboard } from './dashboard';
import { dataProvider } from './dataProvider';
import { expiryNotices } from './expiry-notices';
import { invitations } from './invitations';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { darkTheme, lightTheme } from './layout/theme';
import { LoginPage } from './LoginPage';
import { organizations } from './organizations';
import { queuesRoute } from './queues';
import { testKitRoute } from './communities/test-kit-route';
import { revocationSubscriptions } from './revocation-subscriptions';
import { twoFactorRoute } from './two-factor';
import { users } from './users';

/**
 * The console: a dashboard (the landing page), one resource per folder, and the audit log and the
 * worker's queues (custom routes). What each role sees (menu entries, create forms, routes) comes from authProvider.canAccess (see permissions.ts); role-dependent buttons read usePermissions. The
 * invitation link's page is a custom route without the layout, open while signed out.
 */
export function App() {
  return (
    <Admin title="Anchorage" theme={lightTheme} darkTheme={darkTheme} dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage} layout={ConsoleLayout} dashboard={Dashboard} requireAuth disableTelemetry>
      <Resource {...communities} />
      <Resource {...organizations} />
      <Resource {...invitations} />
      <Resource {...certificateRequests} />
      <Resource {...certificates} />
      <Resource {...certifications} />
      <Resource {...bulkRevocations} />
      <Resource {...expiryNotices} />
      <Resource {...revocationSubscriptions} />
      <Resource {...conformanceEndpoints} />
      <Resource {...users} />
      <CustomRoutes>{twoFactorRoute}</CustomRoutes>
      <CustomRoutes>{auditRoute}</CustomRoutes>
      <CustomRoutes>{queuesRoute}</CustomRoutes>
      <CustomRoutes>{testKitRoute}</CustomRoutes>
      <CustomRoutes noLayout>{acceptInvitationRoute}</CustomRoutes>
    </Admin>
  );
}
