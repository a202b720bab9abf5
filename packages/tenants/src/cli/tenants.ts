/**
 * `npm run tenants -- <command>`: the operator's view of the tenant registry, through the same domain
 * functions as the HTTP API, audited as actor and origin `cli`.
 */

import type { Client } from '@libsql/client';
import { controlDb, migrations, type Tenant } from '@wijkteams/db';
import {
  type CommandArgs,
  displayDatabaseUrl,
  expectPositionals,
  OperatorError,
  parseCommand,
  printTable,
  requireFlag,
  runCli,
  UsageError,
  withControl,
} from '@wijkteams/db/cli';
import { createNodeClient, type NodeDatabaseSettings } from '@wijkteams/db/node';
import { onboardTenant, RESERVED_SLUGS, setTenantSuspended, updateTenantSettings } from '../onboard.ts';
import { DEFAULT_ONBOARDING_CONCURRENCY, onboardCountry } from '../onboard-all.ts';
import type { DatabaseProvisioner } from '../provision.ts';
import { localProvisioner } from '../provisioners/local.ts';
import { tursoProvisioner } from '../provisioners/turso.ts';
import { findTenant, listTenants, MUNICIPALITY_CODE_PATTERN, TENANT_SLUG_PATTERN } from '../registry.ts';

const USAGE = `Usage: npm run tenants -- <command>

Commands:
  list                                          slug, name, municipality code and status of every tenant
  show <slug>                                   one tenant as JSON
  create --slug <s> --name <n> --code <GMxxxx>  onboard a municipality: its database, migrated and seeded
  onboard-all [--concurrency <n>]               onboard every CBS municipality that is not yet a tenant
                                                (slug from its name, name "Gemeente <name>"), n at a time
                                                (default ${DEFAULT_ONBOARDING_CONCURRENCY}); run it again to retry failed ones
  suspend <slug>                                refuse every request to the tenant
  resume <slug>                                 make a suspended tenant active again
  set-cors <slug> <origin>...                   replace the tenant's CORS origins, keeping its other settings

Environment: DATA_DIR (default .data), CONTROL_DB_URL, CONTROL_DB_AUTH_TOKEN, TENANT_DB_AUTH_TOKEN, as
for \`npm run migrate\`. With TURSO_API_TOKEN and TURSO_ORGANIZATION (TURSO_GROUP, TURSO_API_URL) set,
create makes Turso databases; otherwise files under DATA_DIR/tenants. A running server sees changes
once its tenant cache expires.`;

const cli = { actor: 'cli', origin: 'cli' };
const FLAGS: Record<string, string[]> = { create: ['slug', 'name', 'code'], 'onboard-all': ['concurrency'] };

await runCli(USAGE, async (command, rest) => {
  const args = parseCommand(rest, FLAGS[command] ?? []);
  switch (command) {
    case 'list':
      expectPositionals(args, []);
      return list();
    case 'show':
      return show(slugOf(args));
    case 'create':
      expectPositionals(args, []);
      return create(args);
    case 'onboard-all':
      expectPositionals(args, []);
      return onboardAll(args);
    case 'suspend':
    case 'resume':
      return setSuspended(slugOf(args), command === 'suspend');
    case 'set-cors':
      return setCors(args);
    default:
      throw new UsageError(`Unknown command '${command}'`);
  }
});

function slugOf(args: CommandArgs): string {
  const [slug] = expectPositionals(args, ['slug']);
  return slug as string;
}

function list() {
  return withControl(async ({ control }) => {
    const tenants = await listTenants(controlDb(control));
    printTable(
      ['SLUG', 'NAME', 'CODE', 'STATUS'],
      tenants.map((t) => [t.slug, t.name, t.municipalityCode, t.status]),
    );
  });
}

function show(slug: string) {
  return withControl(async ({ control }) => {
    const { requestHash: _, databaseUrl, ...tenant } = await existing(control, slug);
    console.log(JSON.stringify({ ...tenant, databaseUrl: displayDatabaseUrl(databaseUrl) }, null, 2));
  });
}

function create(args: CommandArgs) {
  const slug = requireFlag(args, 'slug');
  const name = requireFlag(args, 'name').trim();
  const municipalityCode = requireFlag(args, 'code');
  if (!TENANT_SLUG_PATTERN.test(slug) || RESERVED_SLUGS.has(slug))
    throw new UsageError('--slug: lowercase letters, digits and dashes, 2 to 40 characters, not reserved');
  if (name.length < 2 || name.length > 100) throw new UsageError('--name: 2 to 100 characters');
  if (!MUNICIPALITY_CODE_PATTERN.test(municipalityCode))
    throw new UsageError('--code: a CBS municipality code such as GM0344');

  return withControl(async ({ control, settings }) => {
    const provisioner = provisionerFor(settings);
    const outcome = await onboardTenant(
      { control, provisioner, tenantMigrations: () => migrations.tenant, ...cli },
      { slug, name, municipalityCode },
    );
    switch (outcome.status) {
      case 'created':
      case 'completed':
      case 'unchanged': {
        const { tenant } = outcome;
        console.log(
          `${outcome.status}: ${tenant.slug} (${tenant.name}, ${tenant.municipalityCode}) is ${tenant.status}`,
        );
        return;
      }
      case 'failed':
        throw new OperatorError(`failed: ${outcome.detail}. Run the same command again to complete it.`);
      default:
        throw new OperatorError(`${outcome.status}: ${outcome.detail}`);
    }
  });
}

function onboardAll(args: CommandArgs) {
  const concurrency = Number(args.flags.concurrency ?? DEFAULT_ONBOARDING_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
    throw new UsageError('--concurrency: a whole number from 1 to 32');

  return withControl(async ({ control, settings }) => {
    const started = performance.now();
    const report = await onboardCountry(
      { control, provisioner: provisionerFor(settings), tenantMigrations: () => migrations.tenant, ...cli },
      {
        concurrency,
        onOutcome: (request, outcome) =>
          console.log(
            outcome.status === 'created' || outcome.status === 'completed' || outcome.status === 'unchanged'
              ? `${outcome.status}: ${request.slug} (${request.name}, ${request.municipalityCode})`
              : `${outcome.status}: ${request.slug} (${request.municipalityCode}): ${'detail' in outcome ? outcome.detail : ''}`,
          ),
      },
    );
    const count = (status: string) => report.outcomes.filter((o) => o.outcome.status === status).length;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const refused = report.outcomes.length - count('created') - count('completed') - count('unchanged');
    console.log(
      `${count('created')} created, ${count('completed')} completed, ${report.alreadyOnboarded} already onboarded, ${refused} not onboarded, ${seconds} s`,
    );
    if (refused > 0)
      throw new OperatorError(
        `${refused} municipalities were not onboarded. Run the same command again to retry them.`,
      );
  });
}

/** Turso when it is configured, as in the API's runtime; otherwise files under the data folder. */
function provisionerFor(settings: NodeDatabaseSettings): DatabaseProvisioner {
  const { TURSO_API_TOKEN, TURSO_ORGANIZATION, TURSO_GROUP, TURSO_API_URL } = process.env;
  if (!TURSO_API_TOKEN || !TURSO_ORGANIZATION) return localProvisioner(settings.dataDir);
  return tursoProvisioner({
    organization: TURSO_ORGANIZATION,
    group: TURSO_GROUP || 'default',
    apiToken: TURSO_API_TOKEN,
    apiBaseUrl: TURSO_API_URL || undefined,
    openClient: (url) =>
      createNodeClient({ url, authToken: settings.tenantAuthToken }, { dataDir: settings.dataDir }),
  });
}

function setSuspended(slug: string, suspended: boolean) {
  const wanted = suspended ? 'suspended' : 'active';
  return withControl(async ({ control }) => {
    const before = await existing(control, slug);
    const after = await setTenantSuspended({ control, ...cli }, slug, suspended);
    if (after?.status !== wanted)
      throw new OperatorError(`${slug} is ${after?.status ?? 'gone'} and cannot become ${wanted}`);
    console.log(
      before.status === wanted ? `${slug} was already ${wanted}` : `${slug}: ${before.status} → ${wanted}`,
    );
  });
}

function setCors(args: CommandArgs) {
  const [slug, ...origins] = args.positionals;
  if (!slug || origins.length === 0) throw new UsageError('Expected <slug> <origin>...');
  for (const origin of origins)
    if (!URL.canParse(origin) || new URL(origin).origin !== origin)
      throw new UsageError(`Not an origin (scheme, host and port only): ${origin}`);

  return withControl(async ({ control }) => {
    const tenant = await existing(control, slug);
    const corsOrigins = [...new Set(origins)];
    await updateTenantSettings({ control, ...cli }, slug, { ...tenant.settings, corsOrigins });
    console.log(`${slug}: CORS origins ${corsOrigins.join(', ')}`);
  });
}

async function existing(control: Client, slug: string): Promise<Tenant> {
  const tenant = await findTenant(controlDb(control), slug);
  if (!tenant) throw new OperatorError(`There is no tenant '${slug}'`);
  return tenant;
}
