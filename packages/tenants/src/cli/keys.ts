/**
 * `npm run keys -- <command>`: a tenant's API keys, through the same domain functions as the HTTP
 * API, audited as actor and origin `cli`.
 */

import { createApiKey, listApiKeys, presentApiKey, recordAudit, revokeApiKey } from '@wijkteams/access';
import {
  type ControlDb,
  controlDb,
  KEY_KINDS,
  type KeyKind,
  SCOPES,
  type Scope,
  type Tenant,
} from '@wijkteams/db';
import {
  type CommandArgs,
  expectPositionals,
  OperatorError,
  parseCommand,
  printTable,
  requireFlag,
  runCli,
  UsageError,
  withControl,
} from '@wijkteams/db/cli';
import { findTenant } from '../registry.ts';

const USAGE = `Usage: npm run keys -- <command>

Commands:
  create --tenant <slug> --name <n> --scopes <a,b> [--kind partner|staff] [--expires <ISO date-time>]
                                        create a key; it is printed this once and never again
  list --tenant <slug>                  the tenant's keys, revoked ones included (never the keys)
  revoke --tenant <slug> --id <keyId>   revoke a key; servers refuse it within their key cache TTL

Scopes: ${SCOPES.join(', ')}
Environment: DATA_DIR (default .data), CONTROL_DB_URL, CONTROL_DB_AUTH_TOKEN, as for \`npm run migrate\`.`;

const CLI = 'cli';

await runCli(USAGE, async (command, rest) => {
  switch (command) {
    case 'create':
      return create(parse(rest, ['tenant', 'name', 'scopes', 'kind', 'expires']));
    case 'list':
      return list(parse(rest, ['tenant']));
    case 'revoke':
      return revoke(parse(rest, ['tenant', 'id']));
    default:
      throw new UsageError(`Unknown command '${command}'`);
  }
});

function parse(rest: string[], flags: string[]): CommandArgs {
  const args = parseCommand(rest, flags);
  expectPositionals(args, []);
  requireFlag(args, 'tenant');
  return args;
}

function create(args: CommandArgs) {
  const name = requireFlag(args, 'name').trim();
  if (name.length < 2 || name.length > 100) throw new UsageError('--name: 2 to 100 characters');
  const kind = (args.flags.kind ?? 'partner') as KeyKind;
  if (!KEY_KINDS.includes(kind)) throw new UsageError(`--kind: one of ${KEY_KINDS.join(', ')}`);
  const scopes = requireFlag(args, 'scopes')
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean) as Scope[];
  const unknown = scopes.filter((scope) => !SCOPES.includes(scope));
  if (unknown.length > 0) throw new UsageError(`--scopes: unknown ${unknown.join(', ')}`);
  if (scopes.length === 0) throw new UsageError('--scopes: at least one');
  const expiresAt = args.flags.expires === undefined ? null : futureInstant(args.flags.expires);

  return withControl(async ({ control }) => {
    const db = controlDb(control);
    const tenant = await tenantOf(db, args);
    if (tenant.status !== 'active') throw new OperatorError(`${tenant.slug} is ${tenant.status}`);
    const input = { tenantId: tenant.id, tenantSlug: tenant.slug, name, kind, scopes, expiresAt };
    const { key, plaintext } = await createApiKey(db, { ...input, createdBy: CLI });
    await audit(db, tenant, key.id, 'key.created');
    console.log(`Created ${key.kind} key ${key.id} for ${tenant.slug}: ${key.scopes.join(', ')}`);
    console.log(`expires: ${key.expiresAt ?? 'never'}`);
    console.log(`\nAPI key (shown only this once; store it now, only its hash is kept):\n${plaintext}`);
  });
}

function futureInstant(value: string): string {
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at))
    throw new UsageError('--expires: an ISO 8601 date-time such as 2027-01-01T00:00:00Z');
  if (at <= Date.now()) throw new UsageError('--expires: must be in the future');
  return new Date(at).toISOString();
}

function list(args: CommandArgs) {
  return withControl(async ({ control }) => {
    const db = controlDb(control);
    const tenant = await tenantOf(db, args);
    const keys = (await listApiKeys(db, tenant.id)).map(presentApiKey);
    printTable(
      ['ID', 'NAME', 'KIND', 'PREFIX', 'SCOPES', 'CREATED', 'EXPIRES', 'REVOKED', 'LAST USED'],
      keys.map((k) => [
        k.id,
        k.name,
        k.kind,
        k.prefix,
        k.scopes.join(','),
        k.createdAt,
        k.expiresAt,
        k.revokedAt,
        k.lastUsedAt,
      ]),
    );
  });
}

function revoke(args: CommandArgs) {
  const keyId = requireFlag(args, 'id');
  if (!/^key_[0-9a-z]{26}$/.test(keyId)) throw new UsageError('--id: a key id such as key_01jdq2…');
  return withControl(async ({ control }) => {
    const db = controlDb(control);
    const tenant = await tenantOf(db, args);
    const now = new Date();
    const key = await revokeApiKey(db, tenant.id, keyId, now);
    if (!key) throw new OperatorError(`${tenant.slug} has no key ${keyId}`);
    await audit(db, tenant, key.id, 'key.revoked');
    const already = key.revokedAt !== now.toISOString();
    console.log(`${already ? 'Already revoked' : 'Revoked'} ${key.id} (${key.name}) at ${key.revokedAt}`);
  });
}

async function tenantOf(db: ControlDb, args: CommandArgs): Promise<Tenant> {
  const slug = requireFlag(args, 'tenant');
  const tenant = await findTenant(db, slug);
  if (!tenant) throw new OperatorError(`There is no tenant '${slug}'`);
  return tenant;
}

/** As the API's routes record it, with `cli` as actor and origin. */
function audit(db: ControlDb, tenant: Tenant, keyId: string, action: 'key.created' | 'key.revoked') {
  return recordAudit(db, {
    actor: CLI,
    origin: CLI,
    tenantId: tenant.id,
    action,
    objectType: 'api-key',
    objectId: keyId,
    result: 'success',
  });
}
