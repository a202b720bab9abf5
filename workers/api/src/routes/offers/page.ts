import { type Tenant, tenantDb, textLines } from '@wijkteams/db';
import { dutchMoment } from '@wijkteams/events';
import {
  answerOfferLink,
  type OfferView,
  openOfferLink,
  type ResidentContact,
  tenantOfToken,
} from '@wijkteams/intake';
import type { Context, Hono } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { rateLimited } from '../../middleware/stranger-limits.ts';
import { lookupTenant } from '../../middleware/tenant.ts';
import { intakeContext } from '../requests/context.ts';

/**
 * The one-time offer link a provider gets by e-mail or SMS: `GET /o/{token}` shows the offer (the
 * category, the PC4 area, the wanted date; never the resident's name, address or phone), `POST` with
 * `answer=accept|decline` answers it. Plain HTML that works without JavaScript; no referrer leaves
 * the page, so the token stays in it.
 */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

type Language = 'nl' | 'en';

const WORDS = {
  nl: {
    title: 'Hulpvraag voor u',
    intro: (name: string) => `Beste ${name}, kunt u deze hulpvraag oppakken?`,
    category: 'Onderwerp',
    area: 'Postcodegebied',
    wanted: 'Gewenst op',
    question: 'De vraag',
    reference: 'Kenmerk',
    deadline: 'Antwoord vóór',
    reason: 'Toelichting (niet verplicht)',
    accept: 'Ja, ik help',
    decline: 'Nee, ik kan niet',
    privacy: 'Naam, adres en telefoonnummer van de inwoner ziet u zodra u ja zegt.',
    thanksAccept: 'Dank u wel! U helpt met deze vraag.',
    reach: 'Zo bereikt u de inwoner. Neem zelf contact op, liefst vandaag of morgen:',
    name: 'Naam',
    phone: 'Telefoon',
    email: 'E-mail',
    address: 'Adres',
    noContact: 'De contactgegevens zijn niet meer beschikbaar. Neem contact op met het team.',
    thanksDecline: 'Dank u voor uw antwoord. We vragen iemand anders.',
    goneTitle: 'Deze link werkt niet meer',
    gone: 'Deze link is al gebruikt, of de tijd om te antwoorden is voorbij.',
    call: (team: string, phone: string | null) =>
      phone ? `Vragen? Bel ${team}: ${phone}.` : `Vragen? Neem contact op met ${team}.`,
    callMunicipality: 'Vragen? Neem contact op met het wijkteam van uw gemeente.',
    invalid: 'Kies “Ja, ik help” of “Nee, ik kan niet”.',
    badReason: 'Uw toelichting is te lang of bevat tekens die niet kunnen (ten hoogste 1.000 tekens).',
  },
  en: {
    title: 'A request for you',
    intro: (name: string) => `Dear ${name}, can you take on this request for help?`,
    category: 'Subject',
    area: 'Postcode area',
    wanted: 'Wanted on',
    question: 'The request',
    reference: 'Reference',
    deadline: 'Answer before',
    reason: 'Note (optional)',
    accept: 'Yes, I will help',
    decline: 'No, I cannot',
    privacy: 'You see the resident’s name, address and phone number once you say yes.',
    thanksAccept: 'Thank you! You are helping with this request.',
    reach: 'This is how to reach the resident. Please get in touch yourself, today or tomorrow:',
    name: 'Name',
    phone: 'Phone',
    email: 'E-mail',
    address: 'Address',
    noContact: 'The contact details are no longer available. Please contact the team.',
    thanksDecline: 'Thank you for your answer. We will ask someone else.',
    goneTitle: 'This link no longer works',
    gone: 'This link has been used already, or the time to answer has passed.',
    call: (team: string, phone: string | null) =>
      phone ? `Questions? Call ${team}: ${phone}.` : `Questions? Contact ${team}.`,
    callMunicipality: 'Questions? Contact the neighbourhood team of your municipality.',
    invalid: 'Choose “Yes, I will help” or “No, I cannot”.',
    badReason: 'Your note is too long or holds characters that cannot be used (at most 1,000 characters).',
  },
} as const;

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
label{display:block;font-weight:600;margin-top:1rem}textarea{width:100%;min-height:4rem;font:inherit;border:2px solid #4a4a4a;border-radius:4px}
.buttons{display:flex;gap:1rem;flex-wrap:wrap;margin-top:1rem}button{font:inherit;padding:.6rem 1.2rem;border-radius:4px;border:2px solid #0b4f8a;cursor:pointer}
.yes{background:#0b4f8a;color:#fff}.no{background:#fff;color:#0b4f8a}:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.error{color:#a30000;font-weight:600}`;

function page(language: Language, title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${raw(STYLE)}</style></head>
<body><main>${body}</main></body>
</html>`;
}

function details(view: OfferView, language: Language) {
  const w = WORDS[language];
  return html`<dl>
<dt>${w.category}</dt><dd>${view.category.name[language]}</dd>
<dt>${w.area}</dt><dd>${view.area}</dd>
${view.wantedAt ? html`<dt>${w.wanted}</dt><dd>${dutchMoment(view.wantedAt, language)}</dd>` : ''}
${view.description ? html`<dt>${w.question}</dt><dd lang="nl">${view.description}</dd>` : ''}
<dt>${w.reference}</dt><dd>${view.reference}</dd>
<dt>${w.deadline}</dt><dd>${dutchMoment(view.expiresAt, language)}</dd>
</dl>`;
}

function offerPage(view: OfferView, error?: string) {
  const language = view.provider.language;
  const w = WORDS[language];
  return page(
    language,
    w.title,
    html`<h1 id="title">${w.title}</h1>
<p>${w.intro(view.provider.name)}</p>
${details(view, language)}
<p>${w.privacy}</p>
<form method="post">
${error ? html`<p class="error" role="alert" id="answer-error">${error}</p>` : ''}
<label for="reason">${w.reason}</label>
<textarea id="reason" name="reason" maxlength="1000"></textarea>
<div class="buttons">
<button class="yes" type="submit" name="answer" value="accept">${w.accept}</button>
<button class="no" type="submit" name="answer" value="decline">${w.decline}</button>
</div>
</form>
<p>${w.call(view.team.name, view.team.phone)}</p>`,
  );
}

function acceptedPage(view: OfferView, contact: ResidentContact | null) {
  const language = view.provider.language;
  const w = WORDS[language];
  return page(
    language,
    w.thanksAccept,
    html`<h1>${w.thanksAccept}</h1>
${details(view, language)}
${
  contact
    ? html`<p>${w.reach}</p><dl>
<dt>${w.name}</dt><dd>${contact.name}</dd>
${contact.phone ? html`<dt>${w.phone}</dt><dd><a href="tel:${contact.phone.replace(/[^+0-9]/g, '')}">${contact.phone}</a></dd>` : ''}
${contact.email ? html`<dt>${w.email}</dt><dd><a href="mailto:${contact.email}">${contact.email}</a></dd>` : ''}
<dt>${w.address}</dt><dd>${addressLine(contact)}</dd>
</dl>`
    : html`<p>${w.noContact}</p>`
}
<p>${w.call(view.team.name, view.team.phone)}</p>`,
  );
}

/** `9712 CP 12A-2`: the postcode as people write it, and the house number with its letter and addition. */
function addressLine(contact: ResidentContact): string {
  const postcode = contact.postcode.replace(/^(\d{4})([A-Z]{2})$/, '$1 $2');
  if (!contact.houseNumber) return postcode;
  const addition = contact.houseNumberAddition ? `-${contact.houseNumberAddition}` : '';
  return `${postcode} ${contact.houseNumber}${contact.houseLetter ?? ''}${addition}`;
}

function declinedPage(view: OfferView) {
  const w = WORDS[view.provider.language];
  return page(
    view.provider.language,
    w.thanksDecline,
    html`<h1>${w.thanksDecline}</h1><p>${w.call(view.team.name, view.team.phone)}</p>`,
  );
}

function gonePage(view: OfferView | null) {
  const language = view?.provider.language ?? 'nl';
  const w = WORDS[language];
  return page(
    language,
    w.goneTitle,
    html`<h1>${w.goneTitle}</h1><p>${w.gone}</p><p>${view ? w.call(view.team.name, view.team.phone) : w.callMunicipality}</p>`,
  );
}

/** The tenant and database a link belongs to, set on the context as `resolveTenant` would. */
async function linkTenant(c: Context<AppEnv>, token: string): Promise<Tenant | undefined> {
  const runtime = c.get('runtime');
  const ip = runtime.clientIp(c);
  const decision = runtime.limits.clients.take(`offer-link:${ip}`, runtime.config.publicRateLimitPerMinute);
  if (!decision.allowed) throw rateLimited(decision);
  const slug = tenantOfToken(token);
  if (!slug) return undefined;
  const tenant = await lookupTenant(c, slug);
  if (tenant?.status !== 'active') return undefined;
  const db = tenantDb(runtime.databases.tenant(tenant.databaseUrl));
  c.set('tenant', tenant);
  c.set('db', () => db);
  return tenant;
}

async function withLink(c: Context<AppEnv>, work: (tenant: Tenant) => Promise<Response>): Promise<Response> {
  c.header('Content-Security-Policy', PAGE_CSP);
  const token = c.req.param('token') ?? '';
  const tenant = await linkTenant(c, token);
  if (!tenant) return c.html(gonePage(null), 410);
  try {
    return await work(tenant);
  } finally {
    c.get('runtime').databases.release(c.get('db')().$client);
  }
}

export function registerOfferPages(app: Hono<AppEnv>) {
  app.get('/o/:token', (c) =>
    withLink(c, async () => {
      const opened = await openOfferLink(await intakeContext(c), c.req.param('token'));
      return opened.ok ? c.html(offerPage(opened.view), 200) : c.html(gonePage(opened.view), 410);
    }),
  );
  app.post('/o/:token', (c) =>
    withLink(c, async (tenant) => {
      const form = await c.req.parseBody();
      const answer = form.answer;
      const typed =
        typeof form.reason === 'string' && form.reason.trim()
          ? textLines(1_000).safeParse(form.reason)
          : undefined;
      const reason = typed?.success ? typed.data : undefined;
      const ctx = await intakeContext(c);
      if ((answer !== 'accept' && answer !== 'decline') || typed?.success === false) {
        const opened = await openOfferLink(ctx, c.req.param('token'));
        if (!opened.ok) return c.html(gonePage(opened.view), 410);
        if (!(c.req.header('Accept') ?? '').includes('text/html'))
          throw new ApiError('validation-failed', 'The answer is not valid', {
            invalidParams:
              typed?.success === false
                ? [{ name: 'body.reason', reason: 'At most 1,000 characters, and no control characters' }]
                : [{ name: 'body.answer', reason: 'Either accept or decline' }],
          });
        const words = WORDS[opened.view.provider.language];
        return c.html(
          offerPage(opened.view, typed?.success === false ? words.badReason : words.invalid),
          400,
        );
      }
      const outcome = await answerOfferLink(ctx, c.req.param('token'), answer, reason);
      if (!outcome.ok) return c.html(gonePage(outcome.view), 410);
      c.get('runtime').kickOutbox(c, tenant.slug);
      return c.html(
        answer === 'accept' ? acceptedPage(outcome.view, outcome.contact) : declinedPage(outcome.view),
        200,
      );
    }),
  );
}
