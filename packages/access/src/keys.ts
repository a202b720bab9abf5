import {
  type ApiKey,
  apiKeys,
  type ControlDb,
  constantTimeEqual,
  type KeyKind,
  newId,
  type Scope,
  sha256Hex,
} from '@wijkteams/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { randomBase62 } from './secrets.ts';

/** `wt_partner_zeist_<43 × base62>`: names tenant and kind; 256 bits of randomness. */
const KEY_PATTERN = /^wt_(partner|staff)_([a-z][a-z0-9-]{1,39})_([0-9A-Za-z]{43})$/;
const SECRET_LENGTH = 43;
const DISPLAY_SECRET_CHARS = 4;

export interface ParsedKey {
  kind: KeyKind;
  tenantSlug: string;
}

export function parseApiKey(token: string): ParsedKey | null {
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  return { kind: match[1] as KeyKind, tenantSlug: match[2] as string };
}

export interface NewKeyInput {
  tenantId: string;
  tenantSlug: string;
  name: string;
  kind: KeyKind;
  scopes: Scope[];
  expiresAt?: string | null;
  /** The provider the key acts as; the caller checks that it is one of the tenant's. */
  providerId?: string | null;
  createdBy: string;
}

/** Creates a key; the plaintext is in the result and nowhere else, ever. */
export async function createApiKey(
  control: ControlDb,
  input: NewKeyInput,
): Promise<{ key: ApiKey; plaintext: string }> {
  const head = `wt_${input.kind}_${input.tenantSlug}_`;
  const plaintext = `${head}${randomBase62(SECRET_LENGTH)}`;
  const [key] = await control
    .insert(apiKeys)
    .values({
      id: newId('key'),
      tenantId: input.tenantId,
      name: input.name,
      kind: input.kind,
      prefix: plaintext.slice(0, head.length + DISPLAY_SECRET_CHARS),
      hash: sha256Hex(plaintext),
      scopes: [...new Set(input.scopes)].sort(),
      expiresAt: input.expiresAt ?? null,
      providerId: input.providerId ?? null,
      createdBy: input.createdBy,
    })
    .returning();
  if (!key) throw new Error('Inserting the key returned nothing');
  return { key, plaintext };
}

export function listApiKeys(control: ControlDb, tenantId: string): Promise<ApiKey[]> {
  return control
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(desc(apiKeys.createdAt));
}

export function findApiKey(control: ControlDb, tenantId: string, keyId: string): Promise<ApiKey | undefined> {
  return control
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)))
    .get();
}

/** Revokes a key; revoking it again changes nothing. Returns the key as it now is. */
export async function revokeApiKey(
  control: ControlDb,
  tenantId: string,
  keyId: string,
  now: Date,
): Promise<ApiKey | undefined> {
  await control
    .update(apiKeys)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
  return findApiKey(control, tenantId, keyId);
}

export type KeyCheck =
  | { ok: true; key: ApiKey }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' };

/** Looks a presented key up by its hash and checks that it is still valid at `now`. */
export async function checkApiKey(
  lookup: (hash: string) => Promise<ApiKey | undefined>,
  token: string,
  now: Date,
): Promise<KeyCheck> {
  if (!parseApiKey(token)) return { ok: false, reason: 'malformed' };
  const hash = sha256Hex(token);
  const key = await lookup(hash);
  // The hash index found the row; comparing again in constant time keeps the check itself free of
  // data-dependent timing whatever the storage engine does.
  if (!key || !constantTimeEqual(key.hash, hash)) return { ok: false, reason: 'unknown' };
  if (key.revokedAt) return { ok: false, reason: 'revoked' };
  if (key.expiresAt && key.expiresAt <= now.toISOString()) return { ok: false, reason: 'expired' };
  return { ok: true, key };
}

export function keyByHash(control: ControlDb) {
  return (hash: string) => control.select().from(apiKeys).where(eq(apiKeys.hash, hash)).get();
}

export async function touchApiKey(control: ControlDb, keyId: string, now: Date): Promise<void> {
  await control.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, keyId));
}

/** The key as shown to its managers: never the hash (nor its tenant, which the path names). */
export function presentApiKey(key: ApiKey) {
  const { hash: _hash, tenantId: _tenantId, ...shown } = key;
  return shown;
}
