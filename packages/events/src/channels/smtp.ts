import { createTransport } from 'nodemailer';
import { errorName } from './notify.ts';
import type { Channels, OutgoingMessage, SendResult } from './types.ts';

/** Self-hosting: e-mail over SMTP (`smtp://user:pass@host:587`, `smtps://…`). No SMS. Node only. */
export function smtpChannels(config: { url: string; from: string }): Channels {
  const transport = createTransport(config.url);
  return {
    email: async (message: OutgoingMessage): Promise<SendResult> => {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.body,
          headers: { 'X-Wijkteams-Message-Id': message.id },
        });
        return { ok: true, providerMessageId: info.messageId };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx from the server is permanent (a bad address); anything else may pass later.
        return { ok: false, retry: !(code && code >= 500), error: `SMTP: ${errorName(error)}` };
      }
    },
  };
}
