import { Route } from 'react-router-dom';
import { TWO_FACTOR_PATH } from './path';
import { TwoFactorPage } from './TwoFactorPage';

export { TwoFactorMenuItem } from './TwoFactorMenuItem';

/** The two-factor authentication page, a custom route reached from the user menu. */
export const twoFactorRoute = <Route path={TWO_FACTOR_PATH} element={<TwoFactorPage />} />;
