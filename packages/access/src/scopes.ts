import { SCOPES, type Scope } from '@wijkteams/db';

export { SCOPES, type Scope };

/** Who is calling. The platform admin may do everything on every tenant. */
export type Actor =
  | { type: 'platform-admin' }
  | {
      type: 'key';
      keyId: string;
      tenantId: string;
      scopes: readonly Scope[];
      /** Set where the key acts as one provider of the tenant. */
      providerId?: string | null;
    }
  | { type: 'anonymous' };

export function actorId(actor: Actor): string {
  return actor.type === 'key' ? `key:${actor.keyId}` : actor.type;
}

export function hasScope(actor: Actor, scope: Scope): boolean {
  return actor.type === 'platform-admin' || (actor.type === 'key' && actor.scopes.includes(scope));
}

/** A tenant admin may hand out only scopes it holds itself; the platform admin may grant any. */
export function scopesNotHeld(actor: Actor, requested: readonly Scope[]): Scope[] {
  return requested.filter((scope) => !hasScope(actor, scope));
}
