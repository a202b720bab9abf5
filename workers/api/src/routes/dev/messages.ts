import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { registerRoute } from '../register.ts';
import { problemResponses } from '../schemas.ts';

const MessageSchema = z
  .object({
    id: z.string(),
    channel: z.enum(['email', 'sms']),
    to: z.string(),
    subject: z.string().nullable(),
    body: z.string(),
    event: z.string().nullable(),
    reference: z.string().nullable(),
    sentAt: z.string().datetime(),
    tenant: z.string(),
  })
  .openapi('DevMessage');

/**
 * Local only: what the Notify catcher of `npm start` took. Hidden from the document, and a 404 on any
 * server that has no catcher configured (production).
 */
const route = createRoute({
  method: 'get',
  path: '/dev/messages',
  operationId: 'listDevMessages',
  hide: true,
  request: {
    query: z.object({
      tenant: z
        .string()
        .regex(/^[a-z][a-z0-9-]{1,39}$/)
        .optional(),
    }),
  },
  responses: {
    200: {
      description: 'Messages, newest first',
      content: { 'application/json': { schema: z.object({ messages: z.array(MessageSchema) }) } },
    },
    ...problemResponses('not-found'),
  },
});

export const registerDevMessages = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const catcher = c.get('runtime').events.localNotifyUrl;
    if (!catcher) throw new ApiError('not-found', 'Nothing at GET /dev/messages');
    const { tenant } = c.req.valid('query');
    const response = await fetch(`${catcher}/_catcher/messages${tenant ? `?tenant=${tenant}` : ''}`);
    const { messages } = (await response.json()) as { messages: z.infer<typeof MessageSchema>[] };
    return c.json({ messages }, 200);
  });
