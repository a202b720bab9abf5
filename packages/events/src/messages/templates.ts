import { type MessageChannel, messageTemplates, tenantDb } from '@wijkteams/db';
import type { InvalidParam } from '@wijkteams/intake';

/** What a message is about; each has a text per language and channel. */
export const MESSAGE_KINDS = [
  'request.created',
  'request.accepted',
  'request.resolved',
  'request.referred',
  'offer.created',
  'offer.expired',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The words a template may use, written `((name))` as in Notify's own templates. */
export const PLACEHOLDERS = [
  'municipality',
  'reference',
  'statusLink',
  'category',
  'team',
  'teamPhone',
  'teamEmail',
  'provider',
  'name',
  'offerLink',
  'area',
  'deadline',
  'wantedAt',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Values = Partial<Record<Placeholder, string>>;

export interface Template {
  subject: string | null;
  body: string;
}

/** Four SMS parts; longer texts cost more and arrive out of order on some phones. */
export const MAX_SMS_LENGTH = 612;
export const MAX_EMAIL_LENGTH = 5_000;
export const MAX_SUBJECT_LENGTH = 200;

type Texts = Record<Language, Record<MessageChannel, Template>>;

const greeting = {
  nl: 'Met vriendelijke groet,\n((team))\n((municipality))',
  en: 'Kind regards,\n((team))\n((municipality))',
};

/** The built-in wording; a tenant may replace any of it (`PUT /v1/{tenant}/message-templates/…`). */
export const DEFAULT_TEMPLATES: Record<MessageKind, Texts> = {
  'offer.created': {
    nl: {
      email: {
        subject: 'Kunt u helpen? ((category)) in ((area)) (((reference)))',
        body: `Beste ((provider)),\n\nEr is een hulpvraag over ((category)) in postcodegebied ((area)).((wantedAt))\nKunt u helpen? Bekijk de vraag en geef uw antwoord via deze link:\n((offerLink))\n\nDe link werkt één keer en tot ((deadline)). Daarna vragen we iemand anders.\nVragen? Bel ((team)): ((teamPhone)).\n\n${greeting.nl}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): kunt u helpen met ((category)) in ((area))? Antwoord tot ((deadline)): ((offerLink))',
      },
    },
    en: {
      email: {
        subject: 'Can you help? ((category)) in ((area)) (((reference)))',
        body: `Dear ((provider)),\n\nThere is a request for help with ((category)) in postcode area ((area)).((wantedAt))\nCan you help? See the request and answer through this link:\n((offerLink))\n\nThe link works once, until ((deadline)). After that we ask someone else.\nQuestions? Call ((team)): ((teamPhone)).\n\n${greeting.en}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): can you help with ((category)) in ((area))? Answer by ((deadline)): ((offerLink))',
      },
    },
  },
  'offer.expired': {
    nl: {
      email: {
        subject: 'Deze hulpvraag staat niet meer voor u open (((reference)))',
        body: `Beste ((provider)),\n\nDe hulpvraag over ((category)) in ((area)) (((reference))) is niet op tijd beantwoord en staat niet meer voor u open. We vragen nu iemand anders. U hoeft niets te doen.\n\n${greeting.nl}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): de hulpvraag ((reference)) staat niet meer voor u open. U hoeft niets te doen.',
      },
    },
    en: {
      email: {
        subject: 'This request is no longer open to you (((reference)))',
        body: `Dear ((provider)),\n\nThe request for help with ((category)) in ((area)) (((reference))) was not answered in time and is no longer open to you. We are asking someone else. You need not do anything.\n\n${greeting.en}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): request ((reference)) is no longer open to you. You need not do anything.',
      },
    },
  },
  'request.created': {
    nl: {
      email: {
        subject: 'Uw hulpvraag is ontvangen (((reference)))',
        body: `Beste ((name)),\n\nWe hebben uw hulpvraag over ((category)) ontvangen. Uw kenmerk is ((reference)).\n((team)) kijkt wie u kan helpen en laat het u weten.\n\nHoe het ermee staat, ziet u op uw statuspagina:\n((statusLink))\n\nBewaar deze link: iedereen die hem heeft, kan de status zien.\n\n${greeting.nl}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): uw hulpvraag over ((category)) is ontvangen, kenmerk ((reference)). Status: ((statusLink))',
      },
    },
    en: {
      email: {
        subject: 'We have received your request for help (((reference)))',
        body: `Dear ((name)),\n\nWe have received your request for help with ((category)). Your reference is ((reference)).\n((team)) will look for someone to help you and let you know.\n\nYou can follow it on your status page:\n((statusLink))\n\nKeep this link to yourself: anyone who has it can see the status.\n\n${greeting.en}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): your request for help with ((category)) was received, reference ((reference)). Status: ((statusLink))',
      },
    },
  },
  'request.accepted': {
    nl: {
      email: {
        subject: 'Er is iemand gevonden voor uw hulpvraag (((reference)))',
        body: `Beste ((name)),\n\n((provider)) gaat u helpen met uw vraag over ((category)). Zij nemen zelf contact met u op, via het telefoonnummer of e-mailadres dat u ons gaf.\n\nHoort u binnen een paar dagen niets? Bel dan ((team)): ((teamPhone)).\n\n${greeting.nl}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): ((provider)) gaat u helpen (kenmerk ((reference))) en neemt zelf contact met u op.',
      },
    },
    en: {
      email: {
        subject: 'Someone will help you (((reference)))',
        body: `Dear ((name)),\n\n((provider)) will help you with ((category)). They will get in touch with you themselves, by the phone number or e-mail address you gave us.\n\nNot heard from them within a few days? Call ((team)): ((teamPhone)).\n\n${greeting.en}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): ((provider)) will help you (reference ((reference))) and will get in touch.',
      },
    },
  },
  'request.resolved': {
    nl: {
      email: {
        subject: 'Uw hulpvraag is afgerond (((reference)))',
        body: `Beste ((name)),\n\nUw hulpvraag over ((category)) is afgerond. Is er toch nog iets? Neem dan contact op met ((team)): ((teamPhone)).\n\n${greeting.nl}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): uw hulpvraag ((reference)) is afgerond. Nog vragen? Bel ((teamPhone)).',
      },
    },
    en: {
      email: {
        subject: 'Your request for help is resolved (((reference)))',
        body: `Dear ((name)),\n\nYour request for help with ((category)) is resolved. Anything else? Contact ((team)): ((teamPhone)).\n\n${greeting.en}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): your request ((reference)) is resolved. Questions? Call ((teamPhone)).',
      },
    },
  },
  'request.referred': {
    nl: {
      email: {
        subject: 'Over uw hulpvraag (((reference)))',
        body: `Beste ((name)),\n\nWe hebben voor uw vraag over ((category)) nog niemand gevonden die kan helpen. ((team)) neemt contact met u op om samen te kijken wat wel kan. Bellen mag ook: ((teamPhone)).\n\n${greeting.nl}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): voor uw hulpvraag ((reference)) is nog niemand gevonden. ((team)) belt u, of bel zelf ((teamPhone)).',
      },
    },
    en: {
      email: {
        subject: 'About your request for help (((reference)))',
        body: `Dear ((name)),\n\nWe have not yet found anyone who can help with ((category)). ((team)) will contact you to see together what can be done. You can also call: ((teamPhone)).\n\n${greeting.en}`,
      },
      sms: {
        subject: null,
        body: '((municipality)): nobody was found yet for your request ((reference)). ((team)) will call you, or call ((teamPhone)).',
      },
    },
  },
};

const PLACEHOLDER = /\(\(([^()]*)\)\)/g;

/** Fills `((name))`; a value that is missing leaves an empty space rather than the placeholder. */
export function render(template: Template, values: Values): Template {
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_, name: string) => values[name as Placeholder] ?? '');
  return { subject: template.subject === null ? null : fill(template.subject), body: fill(template.body) };
}

/** Every problem of a tenant's template: unknown placeholders, lengths, a subject where it belongs. */
export function checkTemplate(channel: MessageChannel, template: Template): InvalidParam[] {
  const problems: InvalidParam[] = [];
  for (const [field, text] of [
    ['subject', template.subject],
    ['body', template.body],
  ] as const) {
    if (text === null) continue;
    for (const [, name] of text.matchAll(PLACEHOLDER)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(name as string))
        problems.push({
          name: field,
          reason: `Unknown placeholder ((${name})); use ${PLACEHOLDERS.join(', ')}`,
        });
    }
  }
  if (channel === 'email') {
    if (!template.subject) problems.push({ name: 'subject', reason: 'An e-mail needs a subject' });
    else if (template.subject.length > MAX_SUBJECT_LENGTH)
      problems.push({ name: 'subject', reason: `At most ${MAX_SUBJECT_LENGTH} characters` });
    if (template.body.length > MAX_EMAIL_LENGTH)
      problems.push({ name: 'body', reason: `At most ${MAX_EMAIL_LENGTH} characters` });
  } else {
    if (template.subject !== null) problems.push({ name: 'subject', reason: 'An SMS has no subject' });
    if (template.body.length > MAX_SMS_LENGTH)
      problems.push({ name: 'body', reason: `At most ${MAX_SMS_LENGTH} characters (four SMS parts)` });
  }
  return problems;
}

export interface TemplateView extends Template {
  kind: MessageKind;
  language: Language;
  channel: MessageChannel;
  /** False where the built-in wording is used. */
  custom: boolean;
}

/** Every kind, language and channel with the wording in force. */
export async function listTemplates(db: Parameters<typeof tenantDb>[0]): Promise<TemplateView[]> {
  const own = await tenantDb(db).select().from(messageTemplates);
  const key = (kind: string, language: string, channel: string) => `${kind}/${language}/${channel}`;
  const byKey = new Map(own.map((t) => [key(t.kind, t.language, t.channel), t]));
  return MESSAGE_KINDS.flatMap((kind) =>
    LANGUAGES.flatMap((language) =>
      (['email', 'sms'] as const).map((channel) => {
        const custom = byKey.get(key(kind, language, channel));
        const template = custom
          ? { subject: custom.subject, body: custom.body }
          : DEFAULT_TEMPLATES[kind][language][channel];
        return { kind, language, channel, ...template, custom: custom !== undefined };
      }),
    ),
  );
}

export async function templateFor(
  db: Parameters<typeof tenantDb>[0],
  kind: MessageKind,
  language: Language,
  channel: MessageChannel,
): Promise<Template> {
  const found = (await listTemplates(db)).find(
    (t) => t.kind === kind && t.language === language && t.channel === channel,
  );
  return found ?? DEFAULT_TEMPLATES[kind][language][channel];
}

type TemplateKey = { kind: MessageKind; language: Language; channel: MessageChannel };

const upsertTemplate = (at: Date, key: TemplateKey, template: Template) => ({
  sql: `INSERT INTO message_templates (kind, language, channel, subject, body, changed_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, language, channel) DO UPDATE SET subject = excluded.subject, body = excluded.body,
          changed_at = excluded.changed_at`,
  args: [key.kind, key.language, key.channel, template.subject, template.body, at.toISOString()],
});

const deleteTemplate = (key: TemplateKey) => ({
  sql: 'DELETE FROM message_templates WHERE kind = ? AND language = ? AND channel = ?',
  args: [key.kind, key.language, key.channel],
});

export async function saveTemplate(
  db: Parameters<typeof tenantDb>[0],
  at: Date,
  key: { kind: MessageKind; language: Language; channel: MessageChannel },
  template: Template,
): Promise<{ ok: true; template: TemplateView } | { ok: false; invalidParams: InvalidParam[] }> {
  const invalidParams = checkTemplate(key.channel, template);
  if (invalidParams.length > 0) return { ok: false, invalidParams };
  await db.execute(upsertTemplate(at, key, template));
  return { ok: true, template: { ...key, ...template, custom: true } };
}

/** Back to the built-in wording. */
export async function resetTemplate(
  db: Parameters<typeof tenantDb>[0],
  key: { kind: MessageKind; language: Language; channel: MessageChannel },
): Promise<TemplateView> {
  await db.execute(deleteTemplate(key));
  return { ...key, ...DEFAULT_TEMPLATES[key.kind][key.language][key.channel], custom: false };
}

/** One template as `GET /v1/{tenant}/settings` lists it and `PATCH` takes it back. */
export interface TemplateChange extends Template {
  kind: MessageKind;
  language: Language;
  channel: MessageChannel;
  /** `false`: back to the built-in wording (the texts sent are then ignored). */
  custom?: boolean;
}

/** Every problem of several templates, each named by its index (`3.subject`); a reset has none. */
export function checkTemplates(changes: readonly TemplateChange[]): InvalidParam[] {
  return changes.flatMap((change, i) =>
    change.custom === false
      ? []
      : checkTemplate(change.channel, change).map((p) => ({ ...p, name: `${i}.${p.name}` })),
  );
}

/**
 * Several templates in one write batch, all checked first: every problem is reported (named by its
 * index, `3.subject`) and nothing is written while there is one.
 */
export async function saveTemplates(
  db: Parameters<typeof tenantDb>[0],
  at: Date,
  changes: readonly TemplateChange[],
): Promise<{ ok: true } | { ok: false; invalidParams: InvalidParam[] }> {
  const invalidParams = checkTemplates(changes);
  if (invalidParams.length > 0) return { ok: false, invalidParams };
  if (changes.length === 0) return { ok: true };
  await db.batch(
    changes.map((change) =>
      change.custom === false ? deleteTemplate(change) : upsertTemplate(at, change, change),
    ),
    'write',
  );
  return { ok: true };
}
