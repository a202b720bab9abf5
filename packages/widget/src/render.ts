/**
 * DOM for each state of the widget. Everything from the API goes in as text, never as markup.
 */
import type { Failure, Team } from './api.ts';
import { dutchTime, type OpeningHours, openState, WEEKDAYS, type Weekday } from './hours.ts';
import type { Strings } from './i18n.ts';
import { telephoneUri } from './phone.ts';

/** The language of what municipalities write (descriptions, closures): marked so on an English page. */
const CONTENT_LANG = 'nl';

type Child = Node | string | null | false | undefined;
type Attributes = Record<string, string | boolean | undefined>;

/** `h('p', { class: 'hint' }, 'text')`: an element, its attributes (false/undefined: absent) and children. */
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A heading at the level that fits the embedding page: `heading-level` on the element, 2 by default. */
export const heading = (level: number, attributes: Attributes, text: string) =>
  h(`h${Math.min(Math.max(level, 1), 6)}`, attributes, text);

export interface SearchForm {
  form: HTMLFormElement;
  postcode: HTMLInputElement;
  houseNumber: HTMLInputElement;
}

export function renderForm(t: Strings): { form: HTMLElement; fields: SearchForm } {
  const postcode = h('input', {
    id: 'postcode',
    name: 'postcode',
    type: 'text',
    autocomplete: 'postal-code',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: '12',
    'aria-describedby': 'postcode-hint',
  }) as HTMLInputElement;
  const houseNumber = h('input', {
    id: 'house-number',
    name: 'houseNumber',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    maxlength: '12',
    'aria-describedby': 'house-number-hint',
  }) as HTMLInputElement;
  const form = h(
    'form',
    { novalidate: true },
    field('postcode', t.postcode, t.postcodeHint, postcode),
    field('house-number', t.houseNumber, t.houseNumberHint, houseNumber),
    h('button', { type: 'submit' }, t.search),
  ) as HTMLFormElement;
  return { form, fields: { form, postcode, houseNumber } };
}

const field = (id: string, label: string, hint: string, input: HTMLInputElement) =>
  h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('p', { id: `${id}-hint`, class: 'hint' }, hint),
    h('p', { id: `${id}-error`, class: 'error', hidden: true }),
    input,
  );

/** Marks a field invalid, or valid again with `message` null. */
export function setFieldError(root: ShadowRoot, input: HTMLInputElement, message: string | null): void {
  const error = root.getElementById(`${input.id}-error`);
  if (!error) return;
  error.textContent = message ?? '';
  error.hidden = message === null;
  if (message === null) input.removeAttribute('aria-invalid');
  else input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', `${input.id}-hint${message === null ? '' : ` ${input.id}-error`}`);
}

export interface Found {
  team: Team;
  postcode: string;
  /** As shown: `12A-2`. */
  houseNumber: string | undefined;
  headingLevel: number;
  now: Date;
}

export function renderTeam(
  t: Strings,
  { team, postcode, houseNumber, headingLevel, now }: Found,
): HTMLElement {
  const { street, postcode: teamPostcode, city } = team.address;
  const place = [teamPostcode, city].filter(Boolean).join(' ');
  const dial = team.phone && telephoneUri(team.phone);
  const contact: [string, Child][] = [
    [t.address, (street || place) && h('span', {}, street ?? '', street && place ? h('br') : null, place)],
    [t.phone, team.phone && (dial ? h('a', { href: dial }, team.phone) : team.phone)],
    [t.email, team.email && h('a', { href: `mailto:${team.email}` }, team.email)],
    [
      t.website,
      team.website && h('a', { href: team.website }, team.website.replace(/^https?:\/\/|\/$/g, '')),
    ],
    [t.accessibility, team.accessibility && h('span', { lang: CONTENT_LANG }, team.accessibility)],
  ];
  const card = h(
    'article',
    { class: 'team', 'aria-labelledby': 'team-name' },
    heading(headingLevel + 1, { id: 'team-name', class: 'team-name' }, team.name),
    postcode && h('p', {}, t.forPostcode(postcode, houseNumber)),
    team.isExample && h('p', {}, h('span', { class: 'badge' }, t.example), ' ', t.exampleNote),
    team.closureMessage &&
      h(
        'p',
        { class: 'notice' },
        h('strong', {}, t.closure),
        ' ',
        h('span', { lang: CONTENT_LANG }, team.closureMessage),
      ),
    !team.closureMessage && openStatus(t, team.openingHours, now),
    team.description && h('p', { lang: CONTENT_LANG }, team.description),
    h(
      'dl',
      {},
      ...contact.flatMap(([term, value]) => (value ? [h('dt', {}, term), h('dd', {}, value)] : [])),
    ),
    hoursTable(t, team.openingHours, dutchTime(now).day),
  );
  shownHours.set(card, team.openingHours);
  return card;
}

/** What a card says of its team's state: the closure, or whether it is open now. For the live region. */
export function teamStatus(t: Strings, { team, now }: Found): string {
  return team.closureMessage
    ? `${t.closure} ${team.closureMessage}`
    : (openStatus(t, team.openingHours, now).textContent ?? '');
}

const shownHours = new WeakMap<HTMLElement, OpeningHours>();

/**
 * Brings "open now" and today's row of every card in `container` up to `now`, quietly: only what
 * changed is replaced, and nothing is announced (a page can stay open for hours).
 */
export function refreshTeams(container: HTMLElement, t: Strings, now: Date): void {
  for (const card of container.querySelectorAll<HTMLElement>('article.team')) {
    const hours = shownHours.get(card);
    if (!hours) continue;
    const status = card.querySelector('.open-state');
    const fresh = openStatus(t, hours, now);
    if (status && status.textContent !== fresh.textContent) status.replaceWith(fresh);
    const table = card.querySelector('table');
    const today = dutchTime(now).day;
    if (table && !table.querySelector(`tr[data-day="${today}"][aria-current]`))
      table.replaceWith(hoursTable(t, hours, today));
  }
}

function openStatus(t: Strings, hours: OpeningHours, now: Date): HTMLElement {
  const state = openState(hours, now);
  const nextOpening =
    !state.open && state.next
      ? t.opensAt(state.next.today ? t.today : t.days[state.next.day], state.next.opens)
      : '';
  return h(
    'p',
    { class: `open-state ${state.open ? 'open' : 'closed'}` },
    state.open ? t.openNow(state.closes) : t.closedNow + nextOpening,
  );
}

function hoursTable(t: Strings, hours: OpeningHours, today: Weekday): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, t.openingHours),
    h(
      'tbody',
      {},
      ...WEEKDAYS.map((day) => {
        const slots = hours[day] ?? [];
        const isToday = day === today;
        return h(
          'tr',
          {
            'data-day': day,
            class: isToday ? 'today' : undefined,
            'aria-current': isToday ? 'date' : undefined,
          },
          h('th', { scope: 'row' }, isToday ? `${t.days[day]} (${t.today})` : t.days[day]),
          h('td', {}, slots.length ? slots.map((s) => `${s.opens}–${s.closes}`).join(', ') : t.closed),
        );
      }),
    ),
  );
}

export type NotServed =
  | { kind: 'known'; municipality: string; team: Found | null }
  | { kind: 'unknown' }
  | Failure;

/** `retry` is offered when the national lookup failed. */
export function renderNotServed(
  t: Strings,
  postcode: string,
  elsewhere: NotServed,
  retry: () => void,
): HTMLElement {
  return h(
    'div',
    {},
    h('p', {}, h('strong', {}, t.notServed(postcode))),
    elsewhere.kind === 'known' &&
      h(
        'p',
        {},
        t.servedBy(elsewhere.municipality),
        ' ',
        elsewhere.team ? t.servedByTeam(elsewhere.team.team.name) : t.contactMunicipality,
      ),
    elsewhere.kind === 'known' && elsewhere.team && renderTeam(t, elsewhere.team),
    elsewhere.kind === 'unknown' && h('p', {}, t.municipalityUnknown),
    elsewhere.kind === 'failed' && renderFailure(t, failureMessage(t, elsewhere), retry),
  );
}

/** What went wrong, in words a resident can act on. */
export function failureMessage(t: Strings, failure: Failure): string {
  if (failure.cause === 'busy') return t.busy(failure.retryAfterSeconds);
  return failure.cause === 'server' ? t.serverFailed : t.failed;
}

export function renderFailure(t: Strings, message: string, retry: (() => void) | null): HTMLElement {
  const button = retry && h('button', { type: 'button', class: 'secondary' }, t.retry);
  if (button && retry) button.addEventListener('click', retry);
  return h('div', {}, h('p', {}, message), button);
}
