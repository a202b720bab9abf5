import { z } from '@hono/zod-openapi';
import { type Postcode, parsePostcode } from '@wijkteams/lookup';
import type { Context, TypedResponse } from 'hono';
import { ApiError } from '../../errors.ts';
import { EXAMPLE, TEAM_EXAMPLE, TeamSchema } from '../schemas.ts';

/**
 * What a postcode may look like as typed: four digits (not starting with 0) and optionally two
 * letters, in either case, ASCII or full-width, with spaces (a no-break space too) anywhere. The
 * letters SA, SD and SS are refused after this, by the parser.
 */
export const POSTCODE_AS_TYPED =
  /^\s*[1-9１-９](\s*[0-9０-９]){3}(\s*[A-Za-zＡ-Ｚａ-ｚ]\s*[A-Za-zＡ-Ｚａ-ｚ])?\s*$/;
export const POSTCODE_REASON =
  'A postcode is four digits (not starting with 0) and two letters, like 1234 AB';

export const PostcodeParam = z
  .string()
  .regex(POSTCODE_AS_TYPED, POSTCODE_REASON)
  .openapi({
    // The parser refuses longer input; one reason per bad postcode, not two.
    maxLength: 32,
    param: { name: 'postcode', in: 'path' },
    example: '9712CP',
    description:
      'Forgiving: `9712cp`, `9712 CP` and full-width digits all work; four digits alone name a PC4 area. The letters SA, SD and SS are never used and refused.',
  });

export const MatchSchema = z
  .object({
    level: z.enum(['pc4', 'pc6', 'house-range', 'default']).openapi({
      description:
        'The most specific rule that applies wins; `default`: no rule, the tenant’s default intake team',
    }),
    ruleId: z.string().nullable(),
    validFrom: z.string().nullable().openapi({ format: 'date' }),
    validTo: z.string().nullable().openapi({ format: 'date' }),
    isExample: z.boolean(),
  })
  .openapi('CoverageMatch', {
    example: {
      level: 'pc4',
      ruleId: EXAMPLE.ruleId,
      validFrom: '2026-01-01',
      validTo: null,
      isExample: true,
    },
  });

export const LookupSchema = z
  .object({
    postcode: z.string().openapi({ example: '9712CP' }),
    displayPostcode: z.string().openapi({ example: '9712 CP' }),
    houseNumber: z.number().int().nullable(),
    houseLetter: z.string().nullable().openapi({ example: 'A' }),
    houseNumberAddition: z.string().nullable().openapi({ example: '2' }),
    team: TeamSchema,
    match: MatchSchema,
    houseNumberMatters: z.boolean().openapi({ description: 'House-number rules split this postcode' }),
  })
  .openapi('PostcodeLookup', {
    example: {
      postcode: '9712CP',
      displayPostcode: '9712 CP',
      houseNumber: 12,
      houseLetter: 'A',
      houseNumberAddition: null,
      team: TEAM_EXAMPLE,
      match: {
        level: 'pc4',
        ruleId: EXAMPLE.ruleId,
        validFrom: '2026-01-01',
        validTo: null,
        isExample: true,
      },
      houseNumberMatters: false,
    },
  });

export type Lookup = z.infer<typeof LookupSchema>;

/**
 * Serialised answers per coverage index, so a postcode asked again is one map lookup. The memo goes
 * with its index when coverage changes (a new index object); it holds at most `MAX_ANSWERS` answers.
 */
const memos = new WeakMap<object, Memo>();
const MAX_ANSWERS = 10_000;
class Memo {
  readonly #answers = new Map<string, string>();
  get(key: string): string | undefined {
    return this.#answers.get(key);
  }
  /** Returns the answer it keeps. */
  set(key: string, answer: string): string {
    if (this.#answers.size >= MAX_ANSWERS) this.#answers.clear();
    this.#answers.set(key, answer);
    return answer;
  }
}
export function answersOf(index: object): Memo {
  let memo = memos.get(index);
  if (!memo) {
    memo = new Memo();
    memos.set(index, memo);
  }
  return memo;
}

/** A 200 with JSON serialised already, typed as the route's JSON answer. */
export function jsonText<T>(c: Context, json: string): Response & TypedResponse<T, 200, 'json'> {
  return c.body(json, 200, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<T, 200, 'json'>;
}

export function postcodeOrProblem(input: string): Postcode {
  const parsed = parsePostcode(input);
  if (!parsed.ok) {
    throw new ApiError('validation-failed', `'${input.slice(0, 32)}' is not a Dutch postcode`, {
      invalidParams: [{ name: 'path.postcode', reason: parsed.reason }],
    });
  }
  return parsed.postcode;
}

/**
 * Lookups change only when coverage or a team changes or a day passes: cacheable by browsers and
 * the edge, for a minute, so that a team's closure message (a weather alert) reaches residents soon;
 * after that a revalidation with the ETag is a 304.
 */
export const LOOKUP_CACHE_CONTROL = 'public, max-age=60';
