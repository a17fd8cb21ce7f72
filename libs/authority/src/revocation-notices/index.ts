export { subscribeToRevocations, type SubscribeInput, type Subscribed } from './subscribe';
export { listRevocationSubscriptions, type SubscriptionListFilter } from './list-subscriptions';
export { pauseRevocationSubscription } from './pause-subscription';
export { resumeRevocationSubscription } from './resume-subscription';
export { rotateRevocationSubscriptionSecret } from './rotate-secret';
export { unsubscribeFromRevocations } from './unsubscribe';
export { loadSubscription, maySeeSubscription } from './access';
export { deliverRevocationNotice, PAUSE_AFTER_FAILURES, type RevocationNoticeOutcome } from './deliver-revocation-notice';
export { CRL_PUBLISHED_EVENT, MAX_NOTICE_SERIALS, revocationNoticeBody, type RevocationNoticeBody } from './notice-payload';
