import { Route } from 'react-router-dom';
import { AcceptInvitationPage } from './AcceptInvitationPage';

/** Path of the invitation link's page (the API mails `<console>/#/accept-invitation?token=ani_…`). */
export const ACCEPT_INVITATION_PATH = '/accept-invitation';

/** The invitation page: a custom route without the layout, reachable while signed out. */
export const acceptInvitationRoute = <Route path={ACCEPT_INVITATION_PATH} element={<AcceptInvitationPage />} />;
