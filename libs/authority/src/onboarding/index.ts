export { validateProfile, isValidLei, isValidNpi, isValidOid } from './profile';
export {
  inviteContact, describeInvitation, acceptInvitation, revokeInvitation, invitationView, invitationState, INVITATION_DAYS, type InviteInput,
} from './invitations';
export { submitOrganizationProfile, approveOrganization, rejectOrganization, suspendOrganization, reinstateOrganization, type SuspendedOrganization, type SuspendOptions } from './review';
export { startEndpointCheck, runEndpointCheck, endpointCheckView, endpointCheckUrl, ENDPOINT_CHECK_PATH } from './endpoint-control';
export { HttpEndpointProber, isNonPublicAddress, type EndpointProber } from './endpoint-prober';
