/** One message, rendered, ready for a channel. */
export interface OutgoingMessage {
  /** Our message id (`ntf_…`); the channel's client reference. */
  id: string;
  channel: 'email' | 'sms';
  to: string;
  /** E-mail only. */
  subject: string | null;
  body: string;
  tenant: string;
  event: string;
  /** The request's reference, where there is one. */
  reference: string | null;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  /** `retry`: the channel may take it later (a 5xx, a 429, no connection); else it never will. */
  | { ok: false; retry: boolean; error: string; retryAfterMs?: number };

/** How messages leave: Notify (e-mail and SMS), or SMTP for e-mail when self-hosting. */
export interface Channels {
  email?: (message: OutgoingMessage) => Promise<SendResult>;
  sms?: (message: OutgoingMessage) => Promise<SendResult>;
}
