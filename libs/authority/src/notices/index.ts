export { scanExpiry, DEFAULT_NOTICE_DAYS, DEFAULT_CA_NOTICE_DAYS } from './expiry-scan';
export { deliverNotice, type NoticeDelivery } from './deliver-notice';
export { setOrganizationWebhook, removeOrganizationWebhook, type WebhookSetting } from './webhooks';
export { HttpWebhookSender, verifyWebhookSignature, webhookSignature, type WebhookSender } from './webhook-sender';
export { deliverStateNotice, recordStateNotice, STATE_NOTICE_AUDIENCE, type StateNoticeDelivery } from './state-notices';
