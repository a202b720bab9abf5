/**
 * `<wijkteam-zoeker tenant="groningen">`: a resident types a postcode (and optionally a house
 * number) and sees the team that serves it. Attributes: `tenant` (required), `api` (the API's base
 * URL; by default where this script was loaded from), `lang` (`en` for English; Dutch otherwise),
 * `heading-level` (of the widget's own heading, 2 by default).
 */

import { lookupMunicipality, lookupTeam } from './api.ts';
import { apiBase, headingLevelOf } from './attributes.ts';
import { languageOf, type Strings, stringsFor } from './i18n.ts';
import {
  displayHouseNumber,
  displayPostcode,
  type HouseNumber,
  isDigitsOnly,
  normalizePostcode,
  parseHouseNumber,
} from './postcode.ts';
import {
  type Found,
  failureMessage,
  h,
  heading,
  type NotServed,
  refreshTeams,
  renderFailure,
  renderForm,
  renderNotServed,
  renderTeam,
  type SearchForm,
  setFieldError,
  teamStatus,
} from './render.ts';
import { applyStyles } from './styles.ts';

interface Query {
  postcode: string;
  house: HouseNumber | undefined;
}

export class WijkteamZoeker extends HTMLElement {
  /** Set by the entry module to the folder it was loaded from. */
  static defaultApi = '';
  static readonly observedAttributes = ['tenant', 'api', 'lang', 'heading-level'];

  readonly #root: ShadowRoot;
  #fields: SearchForm | undefined;
  #result: HTMLElement | undefined;
  #live: HTMLElement | undefined;
  #searching: AbortController | undefined;
  #announcement: ReturnType<typeof setTimeout> | undefined;
  /** Keeps "open now" of a shown card current while the page stays open. */
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    applyStyles(this.#root);
  }

  connectedCallback(): void {
    if (!this.#fields) this.#render();
    else this.#keepCardsCurrent(); // moved in the page: a card still shown stays current
  }

  disconnectedCallback(): void {
    this.#searching?.abort();
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  /** Refreshes "open now" of the cards shown, every half minute, for as long as there are any. */
  #keepCardsCurrent(): void {
    clearInterval(this.#clock);
    const result = this.#result;
    this.#clock = result?.querySelector('article.team')
      ? setInterval(() => refreshTeams(result, this.#strings, new Date()), 30_000)
      : undefined;
  }

  attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
    if (this.#fields && before !== after) this.#render();
  }

  get #strings(): Strings {
    return stringsFor(languageOf(this.getAttribute('lang')));
  }

  /** At most 5: the team card's heading is one level below. */
  get #headingLevel(): number {
    return headingLevelOf(this, 5);
  }

  get #api(): URL {
    return apiBase(this, WijkteamZoeker.defaultApi);
  }

  /** The whole widget anew (on connect, or when an attribute changes); typed values are kept. */
  #render(): void {
    this.#searching?.abort();
    this.#searching = undefined;
    clearInterval(this.#clock); // the result it refreshed is replaced
    this.#clock = undefined;
    const t = this.#strings;
    const { form, fields } = renderForm(t);
    fields.postcode.value = this.#fields?.postcode.value ?? '';
    fields.houseNumber.value = this.#fields?.houseNumber.value ?? '';
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    this.#fields = fields;
    this.#live = h('div', {
      class: 'visually-hidden',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true',
    });
    this.#result = h('div', { class: 'result' });
    const tenant = this.getAttribute('tenant');
    const section = h(
      'section',
      { lang: languageOf(this.getAttribute('lang')), 'aria-labelledby': 'title' },
      heading(this.#headingLevel, { id: 'title', class: 'title' }, t.title),
      h('p', {}, t.intro),
      tenant ? form : h('p', { class: 'error' }, t.noTenant),
      this.#live,
      this.#result,
    );
    this.#root.replaceChildren(section);
  }

  #submit(): void {
    const fields = this.#fields;
    if (!fields) return;
    const t = this.#strings;
    const postcode = normalizePostcode(fields.postcode.value);
    const houseNumber = parseHouseNumber(fields.houseNumber.value);
    this.#setError(fields.postcode, null);
    this.#setError(fields.houseNumber, null);
    if (!postcode) {
      const typed = fields.postcode.value;
      this.#reject(
        fields.postcode,
        !typed.trim() ? t.postcodeMissing : isDigitsOnly(typed) ? t.postcodeIncomplete : t.postcodeInvalid,
      );
    } else if (houseNumber === 'invalid') {
      this.#reject(fields.houseNumber, t.houseNumberInvalid);
    } else {
      fields.postcode.value = displayPostcode(postcode);
      void this.#search({ postcode, house: houseNumber });
    }
  }

  async #search(query: Query): Promise<void> {
    const tenant = this.getAttribute('tenant');
    const fields = this.#fields;
    if (!tenant || !fields) return;
    this.#searching?.abort();
    const searching = new AbortController();
    this.#searching = searching;
    const t = this.#strings;
    const shown = displayPostcode(query.postcode);
    this.#show(h('p', {}, t.searching), t.searching, true);
    try {
      const outcome = await lookupTeam(this.#api, tenant, query.postcode, query.house, searching.signal);
      if (outcome.kind === 'found') {
        const found = this.#found(outcome.team, query);
        this.#show(renderTeam(t, found), `${t.found(outcome.team.name, shown)} ${teamStatus(t, found)}`);
      } else if (outcome.kind === 'invalid') {
        const house = outcome.field === 'houseNumber';
        this.#show(null, '');
        this.#reject(
          house ? fields.houseNumber : fields.postcode,
          house ? t.houseNumberInvalid : t.postcodeInvalid,
        );
      } else if (outcome.kind === 'not-served') {
        const national = await lookupMunicipality(this.#api, query.postcode, searching.signal);
        if (national.kind === 'known' && national.tenant === tenant) {
          // This municipality's own postcode, with no team for it yet.
          const said = `${t.noTeamYet(shown)} ${t.contactYourMunicipality}`;
          this.#show(h('p', {}, said), said);
          return;
        }
        const elsewhere: NotServed =
          national.kind === 'known'
            ? { ...national, team: national.team && this.#found(national.team, query) }
            : national;
        const said =
          national.kind === 'known'
            ? t.servedBy(national.municipality)
            : national.kind === 'unknown'
              ? t.municipalityUnknown
              : failureMessage(t, national);
        const retry = () => void this.#search(query);
        this.#show(renderNotServed(t, shown, elsewhere, retry), `${t.notServed(shown)} ${said}`);
      } else if (outcome.kind === 'unavailable') {
        this.#show(renderFailure(t, t.unavailable, null), t.unavailable);
      } else {
        const message = failureMessage(t, outcome);
        this.#show(
          renderFailure(t, message, () => void this.#search(query)),
          message,
        );
      }
    } catch {
      // Aborted by a newer search, an attribute change or removal from the page; or a bad `api`.
      if (!searching.signal.aborted) this.#show(renderFailure(t, t.unavailable, null), t.unavailable);
      else if (this.#searching === searching) this.#show(null, '');
    }
  }

  #found(team: Found['team'], query: Query): Found {
    const postcode = displayPostcode(query.postcode);
    return {
      team,
      postcode,
      houseNumber: query.house && displayHouseNumber(query.house),
      headingLevel: this.#headingLevel,
      now: new Date(),
    };
  }

  /** Replaces the result and announces `said`; focus that was in the old result moves to the field. */
  #show(content: HTMLElement | null, said: string, busy = false): void {
    const result = this.#result;
    if (!result) return;
    const focusWasInResult = result.contains(this.#root.activeElement);
    result.replaceChildren(...(content ? [content] : []));
    this.#keepCardsCurrent();
    if (busy) result.setAttribute('aria-busy', 'true');
    else result.removeAttribute('aria-busy');
    if (focusWasInResult) this.#fields?.postcode.focus();
    this.#announce(said);
  }

  #reject(input: HTMLInputElement, message: string): void {
    this.#setError(input, message);
    input.focus();
    this.#announce(message);
  }

  #setError(input: HTMLInputElement, message: string | null): void {
    setFieldError(this.#root, input, message);
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
