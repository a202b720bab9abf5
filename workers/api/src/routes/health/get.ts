import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { registerRoute } from '../register.ts';

const route = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['Platform'],
  summary: 'Liveness',
  responses: {
    200: {
      description: 'The service is up',
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ok') }).openapi('Health', { example: { status: 'ok' } }),
        },
      },
    },
  },
});

export const registerHealth = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, (c) => c.json({ status: 'ok' as const }, 200));
