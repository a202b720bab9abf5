import { offerRequest, publicStatus, respondToOffer, transition } from '@wijkteams/intake';
import { describe, expect, it } from 'vitest';
import { registerLadderProviders, STAFF } from '../../intake/test/helpers.ts';
import { deliverOutbox, MESSAGE_RETRY_DELAYS_MS, resetTemplate, saveTemplate } from '../src/index.ts';
import { eventsWorldPerTest, rows } from './helpers.ts';

describe('messages to residents', () => {
  const t = eventsWorldPerTest();

  it('confirms an intake by e-mail, through Notify, with the reference and the status link', async () => {
    const submitted = await t.world.submit();
    await deliverOutbox(t.ctx);
    const [message] = t.notify.messages();
    expect(message).toMatchObject({
      channel: 'email',
      to: 'jantje.veenstra@example.nl',
      event: 'request.created',
      reference: submitted.reference,
      tenant: 'groningen',
    });
    expect(message?.subject).toBe(`Uw hulpvraag is ontvangen (${submitted.reference})`);
    expect(message?.body).toContain('Beste Jantje Veenstra');
    expect(message?.body).toContain('Gemeente Groningen');
    const link = `https://wijkteams.example.nl/status/groningen/${submitted.reference}#${submitted.statusToken}`;
    expect(message?.body).toContain(link);
    // The token in the link opens the status, and nothing of the description is in the message.
    expect(await publicStatus(t.world.ctx, submitted.reference, submitted.statusToken)).toMatchObject({
      ok: true,
    });
    expect(message?.body).not.toContain('dakgoot');
    // Once sent, what was personal is gone from the database: the token and the message's address and text.
    const [stored] = await rows(
      t.world,
      'SELECT status, to_ct, content_ct, provider_message_id FROM messages',
    );
    expect(stored).toMatchObject({ status: 'sent', to_ct: null, content_ct: null });
    expect(String(stored?.provider_message_id)).toMatch(/^[0-9a-f-]{36}$/);
    expect((await rows(t.world, 'SELECT secret_ct FROM outbox_events'))[0]?.secret_ct).toBeNull();
  });

  it('writes in English when the resident asked in English, and by SMS to a mobile number only', async () => {
    await t.world.submit({ language: 'en', contact: { name: 'Ann', phone: '+31 6 1234 5678' } });
    await t.world.submit({ contact: { name: 'Piet', phone: '050 123 4567' } }); // a landline: the team phones
    await deliverOutbox(t.ctx);
    const messages = t.notify.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ channel: 'sms', to: '+31612345678', subject: null });
    expect(messages[0]?.body).toMatch(
      /^Gemeente Groningen: your request for help with Odd jobs in and around the house was received, reference GRO-2026-\d{6}\. Status: https:\/\/\S+#\S{43}$/,
    );
    expect(messages[0]?.body.length).toBeLessThanOrEqual(306);
  });

  it('tells the resident who will help, when it is resolved, and when it is referred', async () => {
    const providers = await registerLadderProviders(t.world.ctx);
    const helped = await t.world.submit();
    await transition(t.world.ctx, helped.reference, 'triaged', STAFF);
    await offerRequest(t.world.ctx, helped.reference, providers.volunteers, STAFF);
    await respondToOffer(t.world.ctx, helped.reference, providers.volunteers, 'accept');
    await transition(t.world.ctx, helped.reference, 'in_progress', STAFF);
    await transition(t.world.ctx, helped.reference, 'resolved', STAFF);
    const referred = await t.world.submit();
    await transition(t.world.ctx, referred.reference, 'triaged', STAFF);
    for (const tier of ['volunteers', 'woonservice', 'private-provider', 'company'] as const) {
      await offerRequest(t.world.ctx, referred.reference, providers[tier], STAFF);
      await respondToOffer(t.world.ctx, referred.reference, providers[tier], 'decline');
    }
    await deliverOutbox(t.ctx);
    const subjects = t.notify
      .messages()
      .filter((m) => m.event?.startsWith('request.'))
      .map((m) => `${m.reference} ${m.event} ${m.subject}`);
    expect(subjects.sort()).toEqual(
      [
        `${helped.reference} request.created Uw hulpvraag is ontvangen (${helped.reference})`,
        `${helped.reference} request.status_changed Er is iemand gevonden voor uw hulpvraag (${helped.reference})`,
        `${helped.reference} request.status_changed Uw hulpvraag is afgerond (${helped.reference})`,
        `${referred.reference} request.created Uw hulpvraag is ontvangen (${referred.reference})`,
        `${referred.reference} request.status_changed Over uw hulpvraag (${referred.reference})`,
      ].sort(),
    );
    const accepted = t.notify.messages().find((m) => m.subject?.startsWith('Er is iemand'));
    expect(accepted?.body).toContain('Provider volunteers gaat u helpen');
  });

  it('retries when Notify is down or busy, and gives up at once on a message it refuses', async () => {
    t.notify.failNext(500, 429);
    await t.world.submit();
    let run = await deliverOutbox(t.ctx);
    expect(run.sent).toBe(0);
    t.world.ctx.setNow(run.nextDueAt as Date);
    run = await deliverOutbox(t.ctx);
    expect(run.sent).toBe(0);
    t.world.ctx.setNow(run.nextDueAt as Date);
    expect((await deliverOutbox(t.ctx)).sent).toBe(1);
    expect(t.notify.messages()).toHaveLength(1);

    t.notify.failNext(400);
    await t.world.submit();
    await deliverOutbox(t.ctx);
    const [failed] = await rows(
      t.world,
      `SELECT status, last_error, to_ct FROM messages WHERE status = 'failed'`,
    );
    expect(failed).toMatchObject({ status: 'failed', to_ct: null });
    expect(String(failed?.last_error)).toMatch(/Notify 400/);
    expect(MESSAGE_RETRY_DELAYS_MS.length).toBeGreaterThan(3);
  });

  it('uses the tenant’s own wording, and refuses placeholders it does not know', async () => {
    const saved = await saveTemplate(
      t.world.ctx.db,
      t.world.ctx.clock(),
      { kind: 'request.created', language: 'nl', channel: 'email' },
      {
        subject: 'Ontvangen: ((reference))',
        body: 'Dag ((name)), we gaan aan de slag. Volg het hier: ((statusLink)) — ((team))',
      },
    );
    expect(saved.ok).toBe(true);
    const refused = await saveTemplate(
      t.world.ctx.db,
      t.world.ctx.clock(),
      { kind: 'request.created', language: 'nl', channel: 'sms' },
      {
        subject: 'x',
        body: 'Uw ((bsn)) is ((reference))',
      },
    );
    expect(refused).toEqual({
      ok: false,
      invalidParams: [
        { name: 'body', reason: expect.stringContaining('Unknown placeholder ((bsn))') },
        { name: 'subject', reason: 'An SMS has no subject' },
      ],
    });
    const { reference } = await t.world.submit();
    await deliverOutbox(t.ctx);
    expect(t.notify.messages()[0]).toMatchObject({ subject: `Ontvangen: ${reference}` });
    expect(t.notify.messages()[0]?.body).toMatch(
      /^Dag Jantje Veenstra, we gaan aan de slag\. Volg het hier: https:\/\/.+#.+ — WIJ Centrum$/,
    );
    const reset = await resetTemplate(t.world.ctx.db, {
      kind: 'request.created',
      language: 'nl',
      channel: 'email',
    });
    expect(reset).toMatchObject({ custom: false, subject: 'Uw hulpvraag is ontvangen (((reference)))' });
  });
});

describe('offers that time out', () => {
  const t = eventsWorldPerTest();

  it('move down the ladder within minutes of their deadline, once when two sweeps overlap, and both providers are told', async () => {
    const { expireOffers } = await import('@wijkteams/intake');
    const providers = await registerLadderProviders(t.world.ctx);
    const { reference } = await t.world.submit();
    await transition(t.world.ctx, reference, 'triaged', STAFF);
    await offerRequest(t.world.ctx, reference, providers.volunteers, STAFF);
    await deliverOutbox(t.ctx);
    const offer = t.notify
      .messages()
      .find((m) => m.event === 'offer.created' && m.to === 'volunteers@providers.example.nl');
    expect(offer?.body).toMatch(/https:\/\/wijkteams\.example\.nl\/o\/groningen\.[A-Za-z0-9_-]{43}/);
    expect(offer?.body).toContain('woensdag 4 maart om 10:00'); // 48 h after 2 March 10:00 Dutch time
    expect(offer?.body).not.toMatch(/Jantje|dakgoot/);

    // The sweep runs every minute: a minute after the deadline, two sweeps at once move it once.
    const deadline = new Date(t.world.ctx.clock().getTime() + 48 * 3_600_000);
    const sweep = () =>
      expireOffers(
        { ...t.world.ctx, clock: () => new Date(deadline.getTime() + 60_000) },
        { now: new Date(deadline.getTime() + 60_000), offerTtlHours: 48 },
      );
    const [first, second] = await Promise.all([sweep(), sweep()]);
    const moved = [...first.expired, ...second.expired];
    expect(moved.length).toBeLessThanOrEqual(1);
    const steps = await rows(
      t.world,
      `SELECT to_status, reason FROM request_events WHERE reason LIKE 'offer-expired%'`,
    );
    expect(steps).toHaveLength(1);
    await deliverOutbox(t.ctx);
    const expired = t.notify
      .messages()
      .find((m) => m.to === 'volunteers@providers.example.nl' && m.event === 'offer.answered');
    expect(expired?.subject).toBe(`Deze hulpvraag staat niet meer voor u open (${reference})`);
    const next = t.notify
      .messages()
      .find((m) => m.to === 'woonservice@providers.example.nl' && m.event === 'offer.created');
    expect(next?.body).toContain('/o/groningen.');
    // The provider's SMS too, to its mobile number.
    expect(
      t.notify
        .messages()
        .filter((m) => m.channel === 'sms' && m.event === 'offer.created')
        .map((m) => m.to),
    ).toContain('+31698765432');
  });
});
