import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { coverageCsv, exportCoverage, IMPORT_COLUMNS } from '@wijkteams/lookup';
import type { AppEnv } from '../../context.ts';
import { wantsCsv } from '../../csv.ts';
import { requireScope } from '../../middleware/authorize.ts';
import { resolveTenant } from '../../middleware/tenant.ts';
import { registerRoute } from '../register.ts';
import { TenantPathSchema, tenantRouteProblems } from '../schemas.ts';

const ExportedRuleSchema = z
  .object({
    teamId: z.string().openapi({ example: 'team_01jdq2v6k8x7r0m4c9z3f5h2ab' }),
    postcode: z.string().openapi({ example: '9712CP', description: 'PC4 (`9712`) or PC6 (`9712CP`)' }),
    houseFrom: z.number().int().optional().openapi({ example: 1 }),
    houseTo: z.number().int().optional().openapi({ example: 39 }),
    parity: z
      .enum(['odd', 'even'])
      .optional()
      .openapi({ example: 'odd', description: 'Left out for all house numbers' }),
    validFrom: z
      .string()
      .optional()
      .openapi({ example: '2026-01-01', format: 'date', description: 'Left out where it always applied' }),
    validTo: z
      .string()
      .optional()
      .openapi({ example: '2026-12-31', format: 'date', description: 'Left out where it has no end' }),
  })
  .openapi('CoverageRuleExport');

const CSV_EXAMPLE = `${IMPORT_COLUMNS.join(',')}
team_01jdq2v6k8x7r0m4c9z3f5h2aa,9711,,,,,
team_01jdq2v6k8x7r0m4c9z3f5h2ab,9712CP,1,39,odd,2026-01-01,
`;

const route = createRoute({
  method: 'get',
  path: '/v1/{tenant}/postcode-areas',
  operationId: 'exportPostcodeAreas',
  tags: ['Lookup'],
  summary: 'The whole postcode coverage, in exactly the format PUT takes (CSV or JSON)',
  description:
    '`Accept: text/csv` gives the CSV the import takes, otherwise JSON `{ "rules": [...] }`. In a fixed order, with fields at their default left out, so that putting it back changes no rule and exporting again gives the same bytes. Rules of teams out of service are included.',
  security: [{ bearer: [] }],
  middleware: [resolveTenant, requireScope('tenant:admin')] as const,
  request: { params: TenantPathSchema },
  responses: {
    200: {
      description: 'The coverage',
      content: {
        'application/json': {
          schema: z.object({ rules: z.array(ExportedRuleSchema) }).openapi('CoverageExport', {
            example: {
              rules: [
                { teamId: 'team_01jdq2v6k8x7r0m4c9z3f5h2aa', postcode: '9711' },
                {
                  teamId: 'team_01jdq2v6k8x7r0m4c9z3f5h2ab',
                  postcode: '9712CP',
                  houseFrom: 1,
                  houseTo: 39,
                  parity: 'odd',
                  validFrom: '2026-01-01',
                },
              ],
            },
          }),
        },
        'text/csv': { schema: z.string().openapi({ example: CSV_EXAMPLE }) },
      },
    },
    ...tenantRouteProblems(),
  },
});

export const registerExportPostcodeAreas = (app: OpenAPIHono<AppEnv>) =>
  registerRoute(app, route, async (c) => {
    const rules = await exportCoverage(c.get('db')());
    c.header('Cache-Control', 'private, no-store');
    // The import's own format (comma separated, no BOM), so that it can be put back as it is.
    if (wantsCsv(c)) {
      return c.body(coverageCsv(rules), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    return c.json({ rules }, 200);
  });
