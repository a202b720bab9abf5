/**
 * `<wijkteam-hulpvraag tenant="groningen">`: a resident asks for help in five steps (address,
 * question, details, consent, review) and gets a reference and the link to the status page.
 * Attributes: `tenant` (required), `api` (the API's base URL; by default where this script was
 * loaded from), `lang` (`en` for English; Dutch otherwise), `heading-level` (2 by default).
 */

import { dutchDay } from '@wijkteams/time/clock';
import { lookupMunicipality, lookupTeam, type Team } from '../api.ts';
import { apiBase, headingLevelOf } from '../attributes.ts';
import { displayDate, displayMoment, dutchMoment, parseDutchDate, parseTime } from '../hours.ts';
import { languageOf, type Strings, stringsFor } from '../i18n.ts';
import { telephoneUri } from '../phone.ts';
import {
  displayHouseNumber,
  displayPostcode,
  type HouseNumber,
  houseNumberFields,
  houseNumberOf,
  isDigitsOnly,
  normalizePostcode,
} from '../postcode.ts';
import { failureMessage, h, heading } from '../render.ts';
import { applyStyles, stylesFor } from '../styles.ts';
import { type Category, loadCategories, type Receipt, sendRequest } from './api.ts';
import { type Control, checkbox, field, input, radios, setError } from './fields.ts';
import formCss from './form.css';
import { type FormStrings, formStringsFor } from './i18n.ts';

const css = stylesFor('hulpvraag', formCss);
const STEPS = 5;
const MAX_DESCRIPTION = 4000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

/** One problem found in a step: the control it belongs to and what to tell the resident. */
type Problem = [Control, string];

interface Controls {
  postcode: HTMLInputElement;
  houseNumber: HTMLInputElement;
  houseLetter: HTMLInputElement;
  addition: HTMLInputElement;
  category: HTMLSelectElement;
  description: HTMLTextAreaElement;
  date: HTMLInputElement;
  time: HTMLInputElement;
  name: HTMLInputElement;
  email: HTMLInputElement;
  phone: HTMLInputElement;
  preference: HTMLInputElement[];
  consent: HTMLInputElement;
  share: HTMLInputElement;
}

/** 128 random bits in hex: long and random, as the API wants a key from a caller without an API key. */
const newKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** How to reach a team, in short: its name, phone, e-mail and website (the status page shows all). */
function contactOf(t: Strings, team: Team): HTMLElement {
  const dial = team.phone && telephoneUri(team.phone);
  const rows: [string, Node | string | null][] = [
    [t.phone, team.phone && (dial ? h('a', { href: dial }, team.phone) : team.phone)],
    [t.email, team.email && h('a', { href: `mailto:${team.email}` }, team.email)],
    [
      t.website,
      team.website && h('a', { href: team.website }, team.website.replace(/^https?:\/\/|\/$/g, '')),
    ],
  ];
  return h(
    'div',
    { class: 'contact' },
    h('p', {}, h('strong', {}, team.name)),
    h('dl', {}, ...rows.flatMap(([term, value]) => (value ? [h('dt', {}, term), h('dd', {}, value)] : []))),
  );
}

export class WijkteamHulpvraag extends HTMLElement {
  /** Set by the entry module to the folder it was loaded from. */
  static defaultApi = '';
  static readonly observedAttributes = ['tenant', 'api', 'lang', 'heading-level'];

  readonly #root: ShadowRoot;
  #controls: Controls | undefined;
  #steps: HTMLElement[] = [];
  #step = 0;
  #live: HTMLElement | undefined;
  #primary: HTMLButtonElement | undefined;
  #previous: HTMLButtonElement | undefined;
  #status: HTMLElement | undefined;
  #addressResult: HTMLElement | undefined;
  #teamNote: HTMLElement | undefined;
  #review: HTMLElement | undefined;
  #categories: Category[] | undefined;
  #found: { team: Team; postcode: string; house: HouseNumber } | undefined;
  #busy = false;
  #working: AbortController | undefined;
  #announcement: ReturnType<typeof setTimeout> | undefined;
  /** The body last sent and its key: the same form sent again keeps its key, a changed one gets a new one. */
  #sent: { body: string; key: string } | undefined;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    applyStyles(this.#root, css);
  }

  connectedCallback(): void {
    if (!this.#controls) this.#render();
  }

  disconnectedCallback(): void {
    this.#working?.abort();
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null): void {
    if (!this.#controls || before === after) return;
    if (name === 'tenant' || name === 'api') {
      // Another municipality: its own categories and team, from the first step.
      this.#categories = undefined;
      this.#found = undefined;
      this.#step = 0;
    }
    this.#render();
  }

  get #language() {
    return languageOf(this.getAttribute('lang'));
  }

  get #t(): FormStrings {
    return formStringsFor(this.#language);
  }

  get #lookupStrings(): Strings {
    return stringsFor(this.#language);
  }

  /** At most 4: step headings are one level below, their parts two. */
  get #headingLevel(): number {
    return headingLevelOf(this, 4);
  }

  get #api(): URL {
    return apiBase(this, WijkteamHulpvraag.defaultApi);
  }

  get #tenant(): string | null {
    return this.getAttribute('tenant');
  }

  /** The whole form anew (on connect, or when an attribute changes); what was typed is kept. */
  #render(): void {
    this.#working?.abort();
    this.#busy = false;
    const t = this.#t;
    const before = this.#controls;
    const c: Controls = {
      postcode: input({
        type: 'text',
        autocomplete: 'postal-code',
        autocapitalize: 'characters',
        spellcheck: 'false',
        maxlength: '12',
      }),
      houseNumber: input({ type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: '5' }),
      houseLetter: input({ type: 'text', autocomplete: 'off', maxlength: '8' }),
      addition: input({ type: 'text', autocomplete: 'off', maxlength: '8' }),
      category: h('select', {}) as HTMLSelectElement,
      description: h('textarea', { rows: '5', maxlength: String(MAX_DESCRIPTION) }) as HTMLTextAreaElement,
      // Text, not the browsers' own date and time pickers: the same in every browser and language.
      date: input({ type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: '10' }),
      time: input({ type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: '5' }),
      name: input({ type: 'text', autocomplete: 'name', maxlength: '200' }),
      email: input({ type: 'email', autocomplete: 'email', maxlength: '254', spellcheck: 'false' }),
      phone: input({ type: 'tel', autocomplete: 'tel', maxlength: '20' }),
      preference: [],
      consent: input({}),
      share: input({}),
    };
    const preference = radios('preference', t.preference, [
      ['', t.preferenceAny],
      ['email', t.preferenceEmail],
      ['phone', t.preferencePhone],
    ]);
    c.preference = preference.inputs;
    if (before) this.#keepValues(before, c);
    this.#controls = c;
    this.#fillCategories();
    c.category.addEventListener('change', () => this.#showSchedule());

    const level = this.#headingLevel;
    const stepHeading = (i: number) =>
      h(
        `h${level + 1}`,
        { id: `step-${i + 1}-heading`, class: 'step-heading', tabindex: '-1' },
        h('span', { class: 'progress' }, t.stepOf(i + 1, STEPS)),
        ' ',
        t.steps[i] ?? '',
      );
    this.#addressResult = h('div', { class: 'result' });
    this.#teamNote = h('p', { class: 'note' });
    this.#review = h('div', {});
    this.#steps = [
      [
        field('postcode', t.postcode, t.postcodeHint, c.postcode),
        h(
          'div',
          { class: 'row' },
          field('house-number', t.houseNumber, t.houseNumberHint, c.houseNumber),
          field('house-letter', t.houseLetter, t.houseLetterHint, c.houseLetter),
          field('addition', t.addition, t.additionHint, c.addition),
        ),
        this.#addressResult,
      ],
      [
        this.#teamNote,
        field('category', t.category, t.categoryHint, c.category),
        field('description', t.description, t.descriptionHint, c.description),
        h(
          'div',
          { class: 'row schedule', hidden: true },
          field('date', t.date, ' ', c.date),
          field('time', t.time, t.timeHint, c.time),
        ),
      ],
      [
        field('name', t.name, t.nameHint, c.name),
        field('email', t.email, t.emailHint, c.email),
        field('phone', t.phone, t.phoneHint, c.phone),
        preference.group,
      ],
      [
        checkbox('consent', t.consent, t.consentHint, c.consent),
        checkbox('share', t.share, t.shareHint, c.share),
      ],
      [h('p', {}, t.review), this.#review],
    ].map((children, i) =>
      h(
        'div',
        {
          class: 'step',
          id: `step-${i + 1}`,
          hidden: i !== this.#step,
        },
        stepHeading(i),
        ...children,
      ),
    );

    this.#primary = h('button', { type: 'submit' }) as HTMLButtonElement;
    this.#previous = h('button', { type: 'button', class: 'secondary' }, t.previous) as HTMLButtonElement;
    this.#previous.addEventListener('click', () => this.#go(this.#step - 1));
    this.#status = h('p', { class: 'error', id: 'form-status', hidden: true });
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'title' },
      ...this.#steps,
      this.#status,
      h('div', { class: 'actions' }, this.#primary, this.#previous),
    ) as HTMLFormElement;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#forward();
    });
    this.#live = h('div', {
      class: 'visually-hidden',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true',
    });
    const section = h(
      'section',
      { lang: this.#language, 'aria-labelledby': 'title' },
      heading(level, { id: 'title', class: 'title' }, t.title),
      h('p', {}, t.intro),
      this.#tenant ? form : h('p', { class: 'error' }, t.noTenant),
      this.#live,
    );
    this.#root.replaceChildren(section);
    this.#showSchedule();
    this.#showStep(false);
    if (this.#tenant && !this.#categories) void this.#loadCategories();
  }

  #keepValues(from: Controls, to: Controls): void {
    for (const key of [
      'postcode',
      'houseNumber',
      'houseLetter',
      'addition',
      'description',
      'date',
      'time',
      'name',
      'email',
      'phone',
    ] as const)
      to[key].value = from[key].value;
    to.consent.checked = from.consent.checked;
    to.share.checked = from.share.checked;
    const chosen = from.preference.findIndex((r) => r.checked);
    to.preference.forEach((radio, i) => {
      radio.checked = i === Math.max(chosen, 0);
    });
    to.category.dataset.chosen = from.category.value;
  }

  async #loadCategories(): Promise<void> {
    const tenant = this.#tenant;
    if (!tenant) return;
    const loaded = await loadCategories(this.#api, tenant, new AbortController().signal).catch(() => null);
    // Not when the element was set to another municipality meanwhile.
    if (!loaded || !Array.isArray(loaded) || this.#tenant !== tenant) return;
    this.#categories = loaded;
    this.#fillCategories();
  }

  #fillCategories(): void {
    const select = this.#controls?.category;
    if (!select) return;
    const chosen = select.value || select.dataset.chosen || '';
    const lang = this.#language;
    select.replaceChildren(
      h('option', { value: '' }, this.#t.chooseCategory),
      ...(this.#categories ?? []).map((c) => h('option', { value: c.slug }, c.name[lang])),
    );
    select.value = chosen;
    this.#showSchedule();
  }

  get #category(): Category | undefined {
    const slug = this.#controls?.category.value;
    return this.#categories?.find((c) => c.slug === slug);
  }

  /** The date and time fields, for a category that books a moment, with the earliest day allowed. */
  #showSchedule(): void {
    const schedule = this.#root.querySelector<HTMLElement>('.schedule');
    const c = this.#controls;
    if (!schedule || !c) return;
    const category = this.#category;
    schedule.hidden = !category?.needsSchedule;
    if (!category?.needsSchedule) return;
    const hint = this.#root.getElementById('date-hint');
    const earliest = dutchDay(new Date(Date.now() + category.leadTimeHours * 3_600_000));
    if (hint) hint.textContent = this.#t.scheduleHint(category.leadTimeHours, displayDate(earliest));
  }

  /** Volgende, or Versturen at the last step. */
  async #forward(): Promise<void> {
    if (this.#busy) return;
    const problems = this.#check(this.#step);
    if (this.#reportProblems(problems)) return;
    if (this.#step === 0) {
      if (await this.#lookUp()) this.#go(1);
    } else if (this.#step === STEPS - 1) {
      await this.#send();
    } else {
      this.#go(this.#step + 1);
    }
  }

  #go(step: number): void {
    if (step < 0 || step >= STEPS || this.#busy) return;
    this.#step = step;
    this.#showStatus(null);
    this.#showStep(true);
    // The categories did not load at first (no connection, say): try again where they are needed.
    if (step === 1 && !this.#categories) void this.#loadCategories();
  }

  #showStep(moveFocus: boolean): void {
    const t = this.#t;
    this.#steps.forEach((section, i) => {
      section.hidden = i !== this.#step;
    });
    if (this.#previous) this.#previous.hidden = this.#step === 0;
    if (this.#primary) this.#primary.textContent = this.#step === STEPS - 1 ? t.send : t.next;
    if (this.#step === 1 && this.#teamNote)
      this.#teamNote.textContent = this.#found ? t.teamFound(this.#found.team.name) : '';
    if (this.#step === STEPS - 1) this.#fillReview();
    if (!moveFocus) return;
    this.#root.getElementById(`step-${this.#step + 1}-heading`)?.focus();
    this.#announce(`${t.stepOf(this.#step + 1, STEPS)}: ${t.steps[this.#step]}`);
  }

  #house(): HouseNumber | undefined {
    const c = this.#controls;
    return c && houseNumberOf(c.houseNumber.value, c.houseLetter.value, c.addition.value).house;
  }

  /** What is wrong in a step, in the order of its fields. */
  #check(step: number): Problem[] {
    const c = this.#controls;
    if (!c) return [];
    const t = this.#t;
    const zoeker = this.#lookupStrings;
    const problems: Problem[] = [];
    if (step === 0) {
      const typed = c.postcode.value;
      if (!normalizePostcode(typed))
        problems.push([
          c.postcode,
          !typed.trim()
            ? zoeker.postcodeMissing
            : isDigitsOnly(typed)
              ? zoeker.postcodeIncomplete
              : zoeker.postcodeInvalid,
        ]);
      const { wrong } = houseNumberOf(c.houseNumber.value, c.houseLetter.value, c.addition.value);
      if (wrong.includes('number'))
        problems.push([
          c.houseNumber,
          c.houseNumber.value.trim() ? zoeker.houseNumberInvalid : t.houseNumberMissing,
        ]);
      if (wrong.includes('letter')) problems.push([c.houseLetter, t.houseLetterInvalid]);
      if (wrong.includes('addition')) problems.push([c.addition, t.additionInvalid]);
    } else if (step === 1) {
      const category = this.#category;
      if (!this.#categories) problems.push([c.category, t.categoriesFailed]);
      else if (!category) problems.push([c.category, t.categoryMissing]);
      const description = c.description.value.trim();
      if (!description) problems.push([c.description, t.descriptionMissing]);
      else if (description.length > MAX_DESCRIPTION)
        problems.push([c.description, t.descriptionTooLong(MAX_DESCRIPTION)]);
      if (category?.needsSchedule) {
        const [date, time] = [parseDutchDate(c.date.value), parseTime(c.time.value)];
        if (!date) problems.push([c.date, c.date.value.trim() ? t.dateInvalid : t.dateMissing]);
        if (!time) problems.push([c.time, c.time.value.trim() ? t.timeInvalid : t.timeMissing]);
        const moment = date && time && dutchMoment(date, time);
        if (moment && Date.parse(moment) < Date.now() + category.leadTimeHours * 3_600_000)
          problems.push([c.date, t.tooSoon(category.leadTimeHours)]);
      }
    } else if (step === 2) {
      if (!c.name.value.trim()) problems.push([c.name, t.nameMissing]);
      const email = c.email.value.trim();
      const phone = c.phone.value.trim();
      if (email && !EMAIL.test(email)) problems.push([c.email, t.emailInvalid]);
      if (phone && (!PHONE.test(phone) || !/[0-9]$/.test(phone))) problems.push([c.phone, t.phoneInvalid]);
      const preferred = this.#preference;
      if (!email && !phone) problems.push([c.email, t.contactMissing]);
      else if (preferred === 'email' && !email) problems.push([c.email, t.preferenceNeedsEmail]);
      else if (preferred === 'phone' && !phone) problems.push([c.phone, t.preferenceNeedsPhone]);
    } else if (step === 3) {
      if (!c.consent.checked) problems.push([c.consent, t.consentMissing]);
    }
    return problems;
  }

  get #preference(): string {
    return this.#controls?.preference.find((r) => r.checked)?.value ?? '';
  }

  /** Shows each problem at its field, focuses the first and announces them; false when there are none. */
  #reportProblems(problems: Problem[]): boolean {
    const step = this.#steps[this.#step];
    for (const control of step?.querySelectorAll<Control>('input, select, textarea') ?? [])
      setError(this.#root, control, null);
    if (problems.length === 0) return false;
    for (const [control, message] of problems) setError(this.#root, control, message);
    const [first] = problems;
    first?.[0].focus();
    this.#announce(`${this.#t.errors(problems.length)} ${problems.map(([, m]) => m).join(' ')}`);
    return true;
  }

  /** Step 1: which team the address goes to. True when there is one; otherwise says what to do. */
  async #lookUp(): Promise<boolean> {
    const c = this.#controls;
    const tenant = this.#tenant;
    const postcode = c && normalizePostcode(c.postcode.value);
    const house = this.#house();
    const result = this.#addressResult;
    if (!c || !tenant || !postcode || !house || !result) return false;
    c.postcode.value = displayPostcode(postcode);
    const t = this.#t;
    const zoeker = this.#lookupStrings;
    const shown = displayPostcode(postcode);
    this.#working?.abort();
    const working = new AbortController();
    this.#working = working;
    this.#setBusy(true, t.lookingUp);
    result.replaceChildren();
    try {
      const outcome = await lookupTeam(this.#api, tenant, postcode, house, working.signal);
      if (outcome.kind === 'found') {
        this.#found = { team: outcome.team, postcode, house };
        return true;
      }
      this.#found = undefined;
      if (outcome.kind === 'invalid') {
        const problem: Problem =
          outcome.field === 'houseNumber'
            ? [c.houseNumber, zoeker.houseNumberInvalid]
            : [c.postcode, zoeker.postcodeInvalid];
        this.#reportProblems([problem]);
        return false;
      }
      let said: string;
      if (outcome.kind === 'not-served') {
        const national = await lookupMunicipality(this.#api, postcode, working.signal);
        if (national.kind === 'known' && national.tenant === tenant) {
          said = `${zoeker.noTeamYet(shown)} ${zoeker.contactYourMunicipality}`;
          result.replaceChildren(h('p', {}, said));
        } else {
          const notServed = zoeker.notServed(shown);
          const turnTo =
            national.kind === 'known'
              ? t.notServedHere(national.municipality)
              : national.kind === 'unknown'
                ? zoeker.municipalityUnknown
                : failureMessage(zoeker, national);
          said = `${notServed} ${turnTo}`;
          const team = national.kind === 'known' ? national.team : null;
          result.replaceChildren(
            h('p', {}, h('strong', {}, notServed)),
            h('p', {}, turnTo),
            ...(team ? [h('p', {}, zoeker.servedByTeam(team.name)), contactOf(zoeker, team)] : []),
          );
        }
      } else {
        said = outcome.kind === 'unavailable' ? zoeker.unavailable : failureMessage(zoeker, outcome);
        result.replaceChildren(h('p', {}, said));
      }
      this.#announce(said);
      return false;
    } catch {
      if (!working.signal.aborted) this.#showStatus(this.#lookupStrings.unavailable);
      return false;
    } finally {
      if (this.#working === working) this.#setBusy(false);
    }
  }

  #fillReview(): void {
    const c = this.#controls;
    const review = this.#review;
    if (!c || !review) return;
    const t = this.#t;
    const house = this.#house();
    const category = this.#category;
    const preferred = this.#preference;
    const moment = this.#moment();
    const rows: [string, string][] = [
      [
        t.address,
        `${normalizePostcode(c.postcode.value) ? displayPostcode(normalizePostcode(c.postcode.value) ?? '') : ''} ${house ? displayHouseNumber(house) : ''}`.trim(),
      ],
      [t.team, this.#found?.team.name ?? ''],
      [t.category, category?.name[this.#language] ?? ''],
      ...(moment ? [[t.moment, displayMoment(moment, this.#language)] as [string, string]] : []),
      [t.description, c.description.value.trim()],
      [t.name, c.name.value.trim()],
      [t.email, c.email.value.trim() || '–'],
      [t.phone, c.phone.value.trim() || '–'],
      [
        t.contactBy,
        preferred === 'email'
          ? t.preferenceEmail
          : preferred === 'phone'
            ? t.preferencePhone
            : t.preferenceAny,
      ],
      [t.shareReview, c.share.checked ? t.yes : t.no],
    ];
    review.replaceChildren(
      h(
        'dl',
        { class: 'review' },
        ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
      ),
    );
  }

  /** The moment asked for, for a category that books one: ISO 8601 with the Dutch offset. */
  #moment(): string | null {
    const c = this.#controls;
    const date = c && parseDutchDate(c.date.value);
    const time = c && parseTime(c.time.value);
    return this.#category?.needsSchedule && date && time ? dutchMoment(date, time) : null;
  }

  #body(): string {
    const c = this.#controls as Controls;
    const category = this.#category;
    const email = c.email.value.trim();
    const phone = c.phone.value.trim();
    const preferred = this.#preference;
    const moment = this.#moment();
    const house = this.#house();
    return JSON.stringify({
      postcode: normalizePostcode(c.postcode.value),
      ...(house ? houseNumberFields(house) : {}),
      category: category?.slug,
      description: c.description.value.trim(),
      ...(moment ? { preferredAt: moment } : {}),
      contact: {
        name: c.name.value.trim(),
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
        ...(preferred ? { preferredChannel: preferred } : {}),
      },
      consent: true,
      shareWithProvider: c.share.checked,
      // The confirmation message is written in the form's language.
      language: this.#language,
    });
  }

  async #send(): Promise<void> {
    const tenant = this.#tenant;
    if (!tenant || this.#busy) return;
    const t = this.#t;
    const body = this.#body();
    // One key per filled-in form: a retry of the same form is the same request.
    if (this.#sent?.body !== body) this.#sent = { body, key: newKey() };
    const { key } = this.#sent;
    const working = new AbortController();
    this.#working = working;
    this.#setBusy(true, t.sending);
    this.#showStatus(null);
    try {
      const sent = await sendRequest(this.#api, tenant, body, key, working.signal);
      if (sent.kind === 'sent') return this.#done(sent.receipt);
      if (sent.kind === 'invalid') return this.#showRefusedFields(sent.fields);
      if (sent.kind === 'elsewhere') {
        this.#go(0);
        const c = this.#controls as Controls;
        this.#reportProblems([
          [
            c.postcode,
            sent.municipality ? t.notServedHere(sent.municipality) : this.#lookupStrings.municipalityUnknown,
          ],
        ]);
        return;
      }
      this.#showStatus(
        sent.kind === 'refused'
          ? t.sendRefused
          : sent.cause === 'busy'
            ? t.sendBusy
            : sent.cause === 'server'
              ? t.sendServer
              : t.sendFailed,
      );
    } catch {
      if (!working.signal.aborted) this.#showStatus(t.sendFailed);
    } finally {
      if (this.#working === working) this.#setBusy(false);
    }
  }

  /** The API refused fields the form let through: back to the first step that has one, marked. */
  #showRefusedFields(names: string[]): void {
    const c = this.#controls as Controls;
    const t = this.#t;
    const zoeker = this.#lookupStrings;
    const at: [number, Control, string][] = [];
    for (const name of names) {
      const part = name.replace(/^body\./, '');
      if (part === 'postcode') at.push([0, c.postcode, zoeker.postcodeInvalid]);
      else if (part.startsWith('house'))
        at.push([
          0,
          part === 'houseLetter'
            ? c.houseLetter
            : part === 'houseNumberAddition'
              ? c.addition
              : c.houseNumber,
          zoeker.houseNumberInvalid,
        ]);
      else if (part === 'category') at.push([1, c.category, t.categoryMissing]);
      else if (part === 'description') at.push([1, c.description, t.descriptionMissing]);
      else if (part === 'preferredAt') at.push([1, c.date, t.tooSoon(this.#category?.leadTimeHours ?? 0)]);
      else if (part === 'contact.phone') at.push([2, c.phone, t.phoneInvalid]);
      else if (part.startsWith('contact.email') || part === 'contact') at.push([2, c.email, t.emailInvalid]);
      else if (part.startsWith('contact')) at.push([2, c.name, t.nameMissing]);
      else at.push([3, c.consent, t.consentMissing]);
    }
    const step = Math.min(...at.map(([s]) => s));
    this.#go(step);
    this.#reportProblems(at.filter(([s]) => s === step).map(([, control, message]) => [control, message]));
  }

  #done(receipt: Receipt): void {
    const tenant = this.#tenant ?? '';
    const t = this.#t;
    const level = this.#headingLevel;
    const link = new URL(
      `status/${encodeURIComponent(tenant)}/${encodeURIComponent(receipt.reference)}`,
      this.#api,
    );
    link.hash = receipt.statusToken;
    const found = this.#found;
    const teamName = receipt.team.name || found?.team.name || '';
    const done = h(
      'div',
      { class: 'done' },
      h(`h${level + 1}`, { id: 'done-heading', tabindex: '-1', class: 'step-heading' }, t.sent),
      h('p', { class: 'reference' }, t.reference(receipt.reference)),
      h('p', {}, h('a', { href: link.href, id: 'status-link' }, t.statusLink)),
      h('p', { class: 'hint' }, t.statusLinkNote),
      h(`h${level + 2}`, {}, t.whatNext),
      h('ul', {}, ...t.nextSteps(teamName).map((line) => h('li', {}, line))),
      found && h('p', {}, t.reachTeam),
      found && contactOf(this.#lookupStrings, found.team),
    );
    this.#root.querySelector('form')?.replaceWith(done);
    this.#root.getElementById('done-heading')?.focus();
    this.#announce(`${t.sent}. ${t.reference(receipt.reference)}`);
  }

  #setBusy(busy: boolean, said?: string): void {
    this.#busy = busy;
    const button = this.#primary;
    if (button) {
      if (busy) button.setAttribute('aria-disabled', 'true');
      else button.removeAttribute('aria-disabled');
      button.textContent = busy && said ? said : this.#step === STEPS - 1 ? this.#t.send : this.#t.next;
    }
    this.#root.querySelector('form')?.setAttribute('aria-busy', String(busy));
    if (said) this.#announce(said);
  }

  /** A message for the whole form (a failed send), or none. */
  #showStatus(message: string | null): void {
    const status = this.#status;
    if (!status) return;
    status.textContent = message ?? '';
    status.hidden = message === null;
    if (message) this.#announce(message);
  }

  /** Emptied first, so that the same message twice is announced twice. */
  #announce(message: string): void {
    const live = this.#live;
    if (!live) return;
    clearTimeout(this.#announcement);
    live.textContent = '';
    this.#announcement = setTimeout(() => {
      live.textContent = message;
    }, 100);
  }
}
