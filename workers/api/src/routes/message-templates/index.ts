import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { actorId, recordAudit } from '@wijkteams/access';
import { textLine, textLines } from '@wijkteams/db';
import {
  LANGUAGES,
  listTemplates,
  MESSAGE_KINDS,
  PLACEHOLDERS,
  resetTemplate,
  saveTemplate,
} from '@wijkteams/events';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { invalid } from '../requests/context.ts';
import { jsonBody, TenantParam, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

export const TemplateSchema = z
  .object({
    kind: z.enum(MESSAGE_KINDS),
    language: z.enum(LANGUAGES),
    channel: z.enum(['email', 'sms']),
    subject: z.string().nullable(),
    body: z.string(),
    custom: z.boolean().openapi({ description: 'False where the built-in wording is used' }),
  })
  .openapi('MessageTemplate', {
    example: {
      kind: 'request.created',
      language: 'nl',
      channel: 'email',
      subject: 'Uw hulpvraag is ontvangen (((reference)))',
      body: 'Beste inwoner,\n\nWe hebben uw vraag ontvangen. U volgt hem hier: ((statusLink))\n\n((municipality))',
      custom: true,
    },
  });

const KeyPath = z.object({
  tenant: TenantParam,
  kind: z.enum(MESSAGE_KINDS).openapi({ param: { name: 'kind', in: 'path' }, example: 'request.created' }),
  language: z.enum(LANGUAGES).openapi({ param: { name: 'language', in: 'path' }, example: 'nl' }),
  channel: z.enum(['email', 'sms']).openapi({ param: { name: 'channel', in: 'path' }, example: 'email' }),
});

const list = createRoute({
  method: 'get',
  path: '/v1/{tenant}/message-templates',
  operationId: 'listMessageTemplates',
  tags: ['Messages'],
  summary: 'The wording of every message to residents, per kind, language and channel',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'Templates',
      content: {
        'application/json': {
          schema: z
            .object({ templates: z.array(TemplateSchema), placeholders: z.array(z.enum(PLACEHOLDERS)) })
            .openapi('MessageTemplateList', {
              example: {
                templates: [
                  {
                    kind: 'request.created',
                    language: 'nl',
                    channel: 'sms',
                    subject: null,
                    body: 'Uw hulpvraag ((reference)) is ontvangen: ((statusLink))',
                    custom: false,
                  },
                ],
                placeholders: [...PLACEHOLDERS],
              },
            }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

const put = createRoute({
  method: 'put',
  path: '/v1/{tenant}/message-templates/{kind}/{language}/{channel}',
  operationId: 'setMessageTemplate',
  tags: ['Messages'],
  summary: 'The municipality’s own wording of one message',
  description: `Placeholders are written \`((name))\`: ${PLACEHOLDERS.join(', ')}. An e-mail needs a subject (at most 200 characters) and a body of at most 5,000; an SMS has no subject and at most 612 characters (four parts).`,
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: KeyPath,
    body: jsonBody(
      z
        .strictObject({
          subject: textLine(200).nullable().openapi({ description: 'An e-mail’s subject; null for an SMS' }),
          body: textLines(5_000),
        })
        .openapi('MessageTemplateText', {
          example: {
            subject: 'Uw hulpvraag is ontvangen (((reference)))',
            body: 'Beste inwoner,\n\nWe hebben uw vraag ontvangen. U volgt hem hier: ((statusLink))',
          },
        }),
    ),
  },
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: TemplateSchema } } },
    ...tenantRouteProblems(),
  },
});

const reset = createRoute({
  method: 'delete',
  path: '/v1/{tenant}/message-templates/{kind}/{language}/{channel}',
  operationId: 'resetMessageTemplate',
  tags: ['Messages'],
  summary: 'Back to the built-in wording',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: KeyPath },
  responses: {
    200: {
      description: 'The built-in wording, in force again',
      content: { 'application/json': { schema: TemplateSchema } },
    },
    ...tenantRouteProblems(),
  },
});

function audit(c: Context<AppEnv>, key: { kind: string; language: string; channel: string }, action: string) {
  return recordAudit(c.get('control')(), {
    actor: actorId(c.get('actor')),
    origin: c.get('runtime').clientIp(c),
    tenantId: c.get('tenant').id,
    action,
    objectType: 'message-template',
    objectId: `${key.kind}/${key.language}/${key.channel}`,
    result: 'success',
  });
}

export function registerMessageTemplateRoutes(app: OpenAPIHono<AppEnv>) {
  registerRoute(app, list, async (c) => {
    const templates = await listTemplates(c.get('db')().$client);
    return c.json({ templates, placeholders: [...PLACEHOLDERS] }, 200);
  });
  registerRoute(app, put, async (c) => {
    const { kind, language, channel } = c.req.valid('param');
    const saved = await saveTemplate(
      c.get('db')().$client,
      new Date(),
      { kind, language, channel },
      c.req.valid('json'),
    );
    if (!saved.ok) throw invalid(saved.invalidParams);
    await audit(c, saved.template, 'message-template.changed');
    return c.json(saved.template, 200);
  });
  registerRoute(app, reset, async (c) => {
    const { kind, language, channel } = c.req.valid('param');
    const key = { kind, language, channel };
    const template = await resetTemplate(c.get('db')().$client, key);
    await audit(c, key, 'message-template.reset');
    return c.json(template, 200);
  });
}
