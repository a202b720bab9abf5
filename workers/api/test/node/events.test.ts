import type { NotifyCatcher } from '@wijkteams/local/notify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../../../packages/events/test/helpers.ts';
import type { OutboxDrain } from '../../src/outbox-drain.ts';
import { ADMIN_KEY, nodeAppFixture, notifyingAppFixture } from './fixture.ts';
import { bearer, expectProblem, json } from './helpers.ts';

const intakeWaalre = {
  postcode: '5581 AB',
  category: 'odd-jobs',
  description: 'Heg snoeien',
  contact: { name: 'W. Aalst', email: 'w.aalst@example.nl' },
  consent: true,
};

const intake = {
  postcode: '9712 CP',
  category: 'odd-jobs',
  description: 'Lamp ophangen in de gang',
  contact: { name: 'J. de Vries', email: 'j.devries@example.nl' },
  consent: true,
};

describe('events through the API (Node)', () => {
  let notify: NotifyCatcher;
  let fixture: Awaited<ReturnType<typeof notifyingAppFixture>>;
  let drain: OutboxDrain;
  beforeAll(async () => {
    fixture = await notifyingAppFixture({
      WEBHOOKS_ALLOW_LOOPBACK: 'true',
      PUBLIC_BASE_URL: 'https://wijkteams.example.nl/',
    });
    notify = fixture.notify;
    drain = fixture.drain;
  });
  afterAll(async () => {
    await fixture.cleanup();
  });
  const admin = bearer(ADMIN_KEY);

  async function keyWith(scopes: string[]) {
    const res = await fixture.request(
      '/v1/groningen/api-keys',
      json('POST', { name: 'Partner', kind: 'partner', scopes }, admin),
    );
    expect(res.status).toBe(201);
    return ((await res.json()) as { key: string }).key;
  }

  it('subscribes, delivers a signed request.created and mails the resident, after the 201', async () => {
    const receiver = await startReceiver([200]);
    const manager = await keyWith(['webhooks:manage']);
    const created = await fixture.request(
      '/v1/groningen/webhook-subscriptions',
      json('POST', { url: receiver.url, events: ['request.created'] }, bearer(manager)),
    );
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as { id: string; secret: string; events: string[] };
    expect(subscription).toMatchObject({ events: ['request.created'], status: 'active' });
    const listed = await (
      await fixture.request('/v1/groningen/webhook-subscriptions', { headers: bearer(manager) })
    ).json();
    expect(JSON.stringify(listed)).not.toContain('whsec_');

    const submitted = await fixture.request('/v1/groningen/requests', json('POST', intake));
    expect(submitted.status).toBe(201);
    const { reference, statusToken } = (await submitted.json()) as { reference: string; statusToken: string };
    await drain.settled();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0] as (typeof receiver.received)[number];
    const payload = new Webhook(subscription.secret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    });
    expect(payload).toMatchObject({
      type: 'request.created',
      data: { tenant: 'groningen', reference, status: 'received' },
    });

    const message = notify.messages().find((m) => m.reference === reference);
    expect(message).toMatchObject({
      channel: 'email',
      to: 'j.devries@example.nl',
      event: 'request.created',
      tenant: 'groningen',
    });
    expect(message?.body).toContain(
      `https://wijkteams.example.nl/status/groningen/${reference}#${statusToken}`,
    );
    expect(message?.body).toContain('Gemeente Groningen');

    const log = (await (
      await fixture.request(`/v1/groningen/webhook-subscriptions/${subscription.id}/deliveries`, {
        headers: bearer(manager),
      })
    ).json()) as { deliveries: { id: string; status: string; attempts: number }[] };
    expect(log.deliveries).toEqual([
      expect.objectContaining({ id: delivery.headers['webhook-id'], status: 'delivered', attempts: 1 }),
    ]);

    const dev = (await (await fixture.request('/dev/messages?tenant=groningen')).json()) as {
      messages: { reference: string }[];
    };
    expect(dev.messages.map((m) => m.reference)).toContain(reference);
    expect(
      (
        await fixture.request(`/v1/groningen/webhook-subscriptions/${subscription.id}`, {
          method: 'DELETE',
          headers: bearer(manager),
        })
      ).status,
    ).toBe(204);
    await receiver.close();
  });

  it('tells the admin, in the municipality’s audit log, when a receiver answered 410 and its subscription was disabled', async () => {
    const gone = await startReceiver([410]);
    const created = await fixture.request(
      '/v1/waalre/webhook-subscriptions',
      json('POST', { url: gone.url, events: ['request.created'] }, admin),
    );
    const { id } = (await created.json()) as { id: string };
    const intake = await fixture.request('/v1/waalre/requests', json('POST', intakeWaalre));
    expect(intake.status).toBe(201);
    await drain.settled();
    const listed = (await (
      await fixture.request('/v1/waalre/webhook-subscriptions', { headers: admin })
    ).json()) as {
      subscriptions: { id: string; status: string; disabledReason: string | null }[];
    };
    expect(listed.subscriptions.find((s) => s.id === id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'gone',
    });
    const audit = (await (await fixture.request('/v1/waalre/audit-events', { headers: admin })).json()) as {
      auditEvents: { action: string; objectId: string; actor: string }[];
    };
    expect(audit.auditEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'webhook-subscription.disabled.gone',
          objectId: id,
          actor: 'system',
        }),
      ]),
    );
    await gone.close();
  });

  it('refuses bad subscriptions with a 400 naming each field, and stores nothing', async () => {
    const res = await fixture.request(
      '/v1/zeist/webhook-subscriptions',
      json(
        'POST',
        { url: 'http://partner.example.nl/hook', events: ['request.created', 'request.deleted'], extra: 1 },
        admin,
      ),
    );
    const problem = await expectProblem(res, 400, 'validation-failed');
    expect(problem.invalidParams).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'body.extra' })]),
    );
    const second = await fixture.request(
      '/v1/zeist/webhook-subscriptions',
      json(
        'POST',
        { url: 'http://partner.example.nl/hook', events: ['request.created', 'request.deleted'] },
        admin,
      ),
    );
    const names = (
      (await expectProblem(second, 400, 'validation-failed')).invalidParams as { name: string }[]
    ).map((p) => p.name);
    expect(names).toEqual(['body.url', 'body.events.1']);
    const list = (await (
      await fixture.request('/v1/zeist/webhook-subscriptions', { headers: admin })
    ).json()) as { subscriptions: unknown[] };
    expect(list.subscriptions).toEqual([]);
  });

  it('needs tenant:admin or webhooks:manage', async () => {
    const reader = await keyWith(['requests:read']);
    await expectProblem(
      await fixture.request('/v1/groningen/webhook-subscriptions', { headers: bearer(reader) }),
      403,
      'forbidden',
    );
    await expectProblem(await fixture.request('/v1/groningen/webhook-subscriptions'), 401, 'unauthorized');
    await expectProblem(
      await fixture.request('/v1/groningen/message-templates', { headers: bearer(reader) }),
      403,
      'forbidden',
    );
  });

  it('lets the municipality word its own messages, checking placeholders', async () => {
    const path = '/v1/alkmaar/message-templates/request.created/nl/sms';
    const bad = await fixture.request(
      path,
      json('PUT', { subject: null, body: 'Kenmerk ((referentie))' }, admin),
    );
    expect(
      ((await expectProblem(bad, 400, 'validation-failed')).invalidParams as { name: string }[])[0]?.name,
    ).toBe('body.body');
    const good = await fixture.request(
      path,
      json(
        'PUT',
        { subject: null, body: 'Voor Mekaar: vraag ((reference)) ontvangen. ((statusLink))' },
        admin,
      ),
    );
    expect(good.status).toBe(200);
    const all = (await (
      await fixture.request('/v1/alkmaar/message-templates', { headers: admin })
    ).json()) as {
      templates: { kind: string; language: string; channel: string; custom: boolean }[];
    };
    expect(all.templates.filter((t) => t.custom)).toEqual([
      expect.objectContaining({ kind: 'request.created', language: 'nl', channel: 'sms' }),
    ]);
    expect((await fixture.request(path, { method: 'DELETE', headers: admin })).status).toBe(200);
  });
});

describe('GET /dev/messages', () => {
  it('is not there where no local catcher is configured (production)', async () => {
    const fixture = await nodeAppFixture();
    try {
      await expectProblem(await fixture.request('/dev/messages'), 404, 'not-found');
    } finally {
      fixture.cleanup();
    }
  });
});
