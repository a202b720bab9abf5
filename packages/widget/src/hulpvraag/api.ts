/**
 * What the help form asks of the API: the tenant's categories, and the intake. Read defensively,
 * as the lookups are: an unexpected answer is a failure the form can explain, never an exception.
 */
import { type Failure, failure, getJson, isRecord, text } from '../api.ts';

export interface Category {
  slug: string;
  name: { nl: string; en: string };
  needsSchedule: boolean;
  leadTimeHours: number;
}

export async function loadCategories(
  api: URL,
  tenant: string,
  signal: AbortSignal,
): Promise<Category[] | Failure> {
  const answer = await getJson(new URL(`v1/${encodeURIComponent(tenant)}/categories`, api), signal);
  const listed: unknown = answer?.status === 200 && isRecord(answer.body) ? answer.body.categories : null;
  if (!Array.isArray(listed)) return failure(answer);
  return listed.flatMap((c): Category[] => {
    const slug = isRecord(c) ? text(c.slug) : null;
    if (!isRecord(c) || !slug || !isRecord(c.name)) return [];
    const nl = text(c.name.nl) ?? slug;
    return [
      {
        slug,
        name: { nl, en: text(c.name.en) ?? nl },
        needsSchedule: c.needsSchedule === true,
        leadTimeHours: typeof c.leadTimeHours === 'number' ? c.leadTimeHours : 0,
      },
    ];
  });
}

export interface Receipt {
  reference: string;
  statusToken: string;
  team: { id: string; name: string };
}

export type Sent =
  | { kind: 'sent'; receipt: Receipt }
  /** The API named fields it refused (`body.contact.email`): shown at those fields. */
  | { kind: 'invalid'; fields: string[] }
  /** The address belongs to another municipality. */
  | { kind: 'elsewhere'; municipality: string | null }
  /** Refused for a reason trying again will not mend. */
  | { kind: 'refused' }
  | Failure;

/** POST …/requests with the form's Idempotency-Key, so that a retry or a double click makes one request. */
export async function sendRequest(
  api: URL,
  tenant: string,
  body: string,
  idempotencyKey: string,
  signal: AbortSignal,
): Promise<Sent> {
  const answer = await getJson(new URL(`v1/${encodeURIComponent(tenant)}/requests`, api), signal, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body,
  });
  if (!answer) return failure(answer);
  const { status, body: answered } = answer;
  const problem = isRecord(answered) ? answered : {};
  if (status === 201 || status === 200) {
    const reference = text(problem.reference);
    const statusToken = text(problem.statusToken);
    const team = isRecord(problem.team) ? problem.team : {};
    const teamId = text(team.id);
    if (reference && statusToken && teamId)
      return {
        kind: 'sent',
        receipt: { reference, statusToken, team: { id: teamId, name: text(team.name) ?? '' } },
      };
    return failure(answer);
  }
  if (status === 400) {
    const params: unknown[] = Array.isArray(problem.invalidParams) ? problem.invalidParams : [];
    return { kind: 'invalid', fields: params.map((p) => (isRecord(p) ? String(p.name) : '')) };
  }
  if (status === 422) {
    const servedBy = isRecord(problem.servedBy) ? problem.servedBy : {};
    const municipality = isRecord(servedBy.municipality) ? text(servedBy.municipality.name) : null;
    return { kind: 'elsewhere', municipality };
  }
  if (status === 429 || status >= 500) return failure(answer);
  return { kind: 'refused' };
}
