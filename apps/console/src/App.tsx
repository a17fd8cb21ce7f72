import { Admin, Resource } from 'react-admin';
import { authProvider } from './authProvider';
import { certificates } from './certificates';
import { communities } from './communities';
import { dataProvider } from './dataProvider';
import { LoginPage } from './LoginPage';
import { organizations } from './organizations';

/** The operator console: one resource per folder. */
export function App() {
  return (
    <Admin title="Anchorage" dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage} requireAuth disableTelemetry>
      <Resource {...communities} />
      <Resource {...organizations} />
      <Resource {...certificates} />
    </Admin>
  );
}
