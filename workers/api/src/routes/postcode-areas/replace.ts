import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { actorId, recordAudit } from '@wijkteams/access';
import { areas, teams } from '@wijkteams/db';
import {
  IMPORT_COLUMNS,
  type ImportProblem,
  parseCsvRows,
  replaceCoverage,
  validateCoverageRows,
} from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../errors.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { POSTCODE_AS_TYPED, POSTCODE_REASON } from '../postcodes/shared.ts';
import { registerRoute } from '../register.ts';
import { EXAMPLE, TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

const RuleSchema = z
  .strictObject({
    teamId: z
      .string()
      .regex(/^team_[0-9a-z]{26}$/, 'Not a team id')
      .openapi({ example: EXAMPLE.teamId, description: 'A team of this municipality' }),
    postcode: z.string().max(32).regex(POSTCODE_AS_TYPED, POSTCODE_REASON).openapi({
      example: '9712CP',
      description: 'A PC4 (`9712`) or a PC6 (`9712 CP`) of this municipality',
    }),
    houseFrom: z.number().int().min(1).max(99_999).optional(),
    houseTo: z.number().int().min(1).max(99_999).optional(),
    parity: z.enum(['all', 'odd', 'even']).optional(),
    validFrom: z.iso.date().optional(),
    validTo: z.iso.date().optional().openapi({ description: 'The last day the rule applies' }),
  })
  .openapi('CoverageRuleInput', {
    description:
      'A house-number range needs houseFrom and houseTo (houseTo not below houseFrom), and only a range may have a parity other than `all`; rules of the same level may not overlap.',
    example: { teamId: EXAMPLE.teamId, postcode: '9712CP', houseFrom: 1, houseTo: 99, parity: 'odd' },
  });

const route = createRoute({
  method: 'put',
  path: '/v1/{tenant}/postcode-areas',
  operationId: 'replacePostcodeAreas',
  tags: ['Lookup'],
  summary: 'Replace the whole postcode coverage, all or nothing (CSV or JSON)',
  description: `CSV with a header row (${IMPORT_COLUMNS.join(', ')}) or JSON \`{ "rules": [...] }\`. Every row is checked first; every bad row is reported with its line (CSV) or index (JSON) and nothing is stored. On success the next lookup sees the new coverage.`,
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: {
    params: TenantPathSchema,
    body: {
      // Not `required: true`: that would make the JSON validator run on CSV bodies too. The
      // handler refuses an empty body itself.
      required: false,
      content: {
        'application/json': {
          schema: z.strictObject({ rules: z.array(RuleSchema).max(50_000) }).openapi('CoverageImport', {
            example: {
              rules: [
                { teamId: EXAMPLE.teamId, postcode: '9712', validFrom: '2026-01-01' },
                { teamId: EXAMPLE.teamId, postcode: '9712CP', houseFrom: 1, houseTo: 99, parity: 'odd' },
              ],
            },
          }),
        },
        'text/csv': {
          schema: z.string().openapi({ example: 'teamId,postcode\nteam_01jdq2v6k8x7r0m4c9z3f5h2aa,9712' }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The coverage was replaced',
      content: {
        'application/json': {
          schema: z
            .object({
              rules: z.number().int().openapi({ description: 'How many rules the coverage now has' }),
              version: z
                .number()
                .int()
                .openapi({ description: 'The coverage version lookups now answer from' }),
            })
            .openapi('CoverageReplaced', { example: { rules: 2, version: 14 } }),
        },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerReplacePostcodeAreas = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const db = c.get('db')();
    const tenant = c.get('tenant');
    const runtime = c.get('runtime');
    const actor = c.get('actor');
    const csv = c.req.header('Content-Type')?.toLowerCase().startsWith('text/csv') ?? false;
    let rows: Record<string, unknown>[];
    let lines: number[] | undefined;
    let parseProblems: { problems: ImportProblem[]; problemCount: number } = {
      problems: [],
      problemCount: 0,
    };
    if (csv) {
      const parsed = parseCsvRows(await c.req.text());
      rows = parsed.rows;
      lines = parsed.lines;
      parseProblems = parsed;
    } else {
      const body = c.req.valid('json');
      rows = typeof body === 'object' ? body.rules : [];
    }
    // Only what the rows are checked against: not the coverage index, which may hold 50,000 rules.
    const [teamRows, areaRows] = await db.batch([
      db.select({ id: teams.id }).from(teams),
      db.select({ pc4: areas.pc4 }).from(areas),
    ]);
    const checked = validateCoverageRows(rows, {
      // Teams out of service keep their rules; they apply again when the team returns.
      teamIds: new Set(teamRows.map((t) => t.id)),
      areas: new Set(areaRows.map((a) => a.pc4)),
      format: csv ? 'csv' : 'json',
      lines,
    });
    const problemCount = parseProblems.problemCount + checked.problemCount;
    if (problemCount > 0) {
      throw new ApiError(
        'validation-failed',
        `${problemCount} problem(s) in the coverage; nothing was changed`,
        {
          invalidParams: parseProblems.problems.concat(checked.problems),
          invalidParamsTotal: problemCount,
        },
      );
    }
    const { version } = await replaceCoverage(db, checked.rules);
    // The next lookup builds the new index; this answer need not wait for it.
    runtime.coverage.forget(tenant.id);
    await recordAudit(c.get('control')(), {
      actor: actorId(actor),
      origin: runtime.clientIp(c),
      tenantId: tenant.id,
      action: 'coverage.replaced',
      objectType: 'coverage',
      objectId: `v${version}`,
      result: 'success',
    });
    return c.json({ rules: checked.rules.length, version }, 200);
  });
