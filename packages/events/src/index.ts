export { type NotifyConfig, notifyChannels, parseNotifyApiKey } from './channels/notify.ts';
export type { Channels, OutgoingMessage, SendResult } from './channels/types.ts';
export type { EventsContext } from './context.ts';
export { dispatchEvents } from './dispatch.ts';
export { dutchMoment, mobileNumber } from './messages/compose.ts';
export { MESSAGE_RETRY_DELAYS_MS, sendDueMessages } from './messages/send.ts';
export {
  checkTemplate,
  checkTemplates,
  DEFAULT_TEMPLATES,
  LANGUAGES,
  type Language,
  listTemplates,
  MESSAGE_KINDS,
  type MessageKind,
  PLACEHOLDERS,
  render,
  resetTemplate,
  saveTemplate,
  saveTemplates,
  type Template,
  type TemplateChange,
  type TemplateView,
} from './messages/templates.ts';
export { KEEP_DELIVERY_LOG_DAYS, pruneOutbox } from './prune.ts';
export { deliverOutbox, nextDueAt, type OutboxRun } from './sender.ts';
export { DISABLE_AFTER_FAILING_MS, deliverDueWebhooks, payloadOf } from './webhooks/deliver.ts';
export { MAX_ATTEMPTS, nextAttemptAt, RETRY_DELAYS_MS } from './webhooks/schedule.ts';
export {
  type CreateOutcome,
  createSubscription,
  type DeliveryView,
  findSubscription,
  listDeliveries,
  listSubscriptions,
  MAX_SUBSCRIPTIONS,
  newWebhookSecret,
  redeliver,
  revokeSubscription,
  type SubscriptionView,
} from './webhooks/subscriptions.ts';
export { checkWebhookUrl, isPublicAddress, type UrlPolicy } from './webhooks/url-policy.ts';
