/**
 * The two public lookups the widget calls, read defensively: the widget runs on other people's
 * pages, so an unexpected answer becomes a failure it can explain, never an exception.
 */
import { type OpeningHours, type OpeningSlot, WEEKDAYS } from './hours.ts';
import { displayHouseNumber, type HouseNumber, houseNumberFields } from './postcode.ts';

export interface Team {
  name: string;
  description: string | null;
  /** As shown: `street` with its house number (Oude Boteringestraat 12A-2), the postcode as `9712 GA`. */
  address: { street: string | null; postcode: string | null; city: string | null };
  phone: string | null;
  email: string | null;
  /** Only an http(s) address; anything else is dropped. */
  website: string | null;
  openingHours: OpeningHours;
  accessibility: string | null;
  closureMessage: string | null;
  isExample: boolean;
}

/**
 * A lookup that may work when tried again: no answer (`network`), too many searches from this
 * address (`busy`, with the server's Retry-After in seconds where it gave one) or a fault of the
 * service (`server`, also an answer the widget cannot read).
 */
export type Failure = { kind: 'failed'; cause: 'network' | 'busy' | 'server'; retryAfterSeconds?: number };

export type TeamLookup =
  | { kind: 'found'; team: Team }
  | { kind: 'not-served' }
  | { kind: 'invalid'; field: 'postcode' | 'houseNumber' }
  /** The tenant is unknown or suspended: retrying will not help. */
  | { kind: 'unavailable' }
  | Failure;

export type NationalLookup =
  /** `tenant`: the slug where that municipality uses this service. */
  | { kind: 'known'; municipality: string; tenant: string | null; team: Team | null }
  | { kind: 'unknown' }
  | Failure;

const NOT_SERVED = 'urn:wijkteams:problem:postcode-not-served';
const TIMEOUT_MS = 15_000;

export async function lookupTeam(
  api: URL,
  tenant: string,
  postcode: string,
  house: HouseNumber | undefined,
  signal: AbortSignal,
): Promise<TeamLookup> {
  const url = new URL(`v1/${encodeURIComponent(tenant)}/postcodes/${postcode}`, api);
  if (house)
    for (const [name, value] of Object.entries(houseNumberFields(house)))
      url.searchParams.set(name, String(value));
  const answer = await getJson(url, signal);
  if (!answer) return failure(answer);
  const { status, body } = answer;
  if (status === 200) {
    const team = isRecord(body) ? readTeam(body.team) : null;
    return team ? { kind: 'found', team } : failure(answer);
  }
  if (status === 404)
    return { kind: isRecord(body) && body.type === NOT_SERVED ? 'not-served' : 'unavailable' };
  if (status === 400) {
    const params: unknown[] = isRecord(body) && Array.isArray(body.invalidParams) ? body.invalidParams : [];
    const names = params.map((p) => (isRecord(p) ? String(p.name) : ''));
    return { kind: 'invalid', field: names.some((n) => /house/i.test(n)) ? 'houseNumber' : 'postcode' };
  }
  return status === 403 || status === 410 ? { kind: 'unavailable' } : failure(answer);
}

/** Which municipality serves a postcode, nationally, and its team where it uses this service. */
export async function lookupMunicipality(
  api: URL,
  postcode: string,
  signal: AbortSignal,
): Promise<NationalLookup> {
  const answer = await getJson(new URL(`v1/postcodes/${postcode}`, api), signal);
  if (answer?.status === 404) return { kind: 'unknown' };
  const body = answer?.status === 200 && isRecord(answer.body) ? answer.body : null;
  const municipality = body && isRecord(body.municipality) ? text(body.municipality.name) : null;
  if (!body || !municipality) return failure(answer);
  const tenant = isRecord(body.tenant) ? text(body.tenant.slug) : null;
  return { kind: 'known', municipality, tenant, team: readTeam(body.team) };
}

export interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

export function failure(answer: Answer | null): Failure {
  if (!answer) return { kind: 'failed', cause: 'network' };
  if (answer.status !== 429) return { kind: 'failed', cause: 'server' };
  const seconds = Number(answer.retryAfter);
  return Number.isInteger(seconds) && seconds > 0
    ? { kind: 'failed', cause: 'busy', retryAfterSeconds: seconds }
    : { kind: 'failed', cause: 'busy' };
}

/** Null when the network fails (the body is null when it is not JSON); throws only when the caller aborted. */
export async function getJson(url: URL, signal: AbortSignal, init: RequestInit = {}): Promise<Answer | null> {
  const request = new AbortController();
  const abort = () => request.abort();
  const timer = setTimeout(abort, TIMEOUT_MS);
  signal.addEventListener('abort', abort);
  try {
    const response = await fetch(url, {
      ...init,
      headers: { Accept: 'application/json, application/problem+json', ...init.headers },
      credentials: 'omit',
      signal: request.signal,
    });
    const body: unknown = await response.json().catch(() => null);
    return { status: response.status, body, retryAfter: response.headers.get('Retry-After') };
  } catch (error) {
    if (signal.aborted) throw error;
    return null;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

const TIME = /^([01][0-9]|2[0-4]):[0-5][0-9]$/;

/** The street and house number as a Dutch address line: `Hoofdstraat 12A-2`. */
function streetLine(address: Record<string, unknown>): string | null {
  const street = text(address.street);
  const letter = text(address.houseLetter);
  const addition = text(address.houseNumberAddition);
  const house =
    typeof address.houseNumber === 'number' &&
    displayHouseNumber({
      number: address.houseNumber,
      ...(letter ? { letter } : {}),
      ...(addition ? { addition } : {}),
    });
  return [street, house].filter(Boolean).join(' ') || null;
}

export function readTeam(value: unknown): Team | null {
  if (!isRecord(value)) return null;
  const name = text(value.name);
  if (!name) return null;
  const address = isRecord(value.address) ? value.address : {};
  return {
    name,
    description: text(value.description),
    address: {
      street: streetLine(address),
      postcode: text(address.postcode)?.replace(/^(\d{4}) ?([A-Z]{2})$/, '$1 $2') ?? null,
      city: text(address.city),
    },
    phone: text(value.phone),
    email: text(value.email),
    website: webAddress(value.website),
    openingHours: readHours(value.openingHours),
    accessibility: text(value.accessibility),
    closureMessage: text(value.closureMessage),
    isExample: value.isExample === true,
  };
}

function readHours(value: unknown): OpeningHours {
  const hours: OpeningHours = {};
  if (!isRecord(value)) return hours;
  for (const day of WEEKDAYS) {
    const listed: unknown = value[day];
    const slots: unknown[] = Array.isArray(listed) ? listed : [];
    const valid = slots.filter(
      (s): s is OpeningSlot => isRecord(s) && TIME.test(String(s.opens)) && TIME.test(String(s.closes)),
    );
    if (valid.length > 0) hours[day] = valid.map(({ opens, closes }) => ({ opens, closes }));
  }
  return hours;
}

function webAddress(value: unknown): string | null {
  const address = text(value);
  if (!address) return null;
  try {
    const url = new URL(address);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
