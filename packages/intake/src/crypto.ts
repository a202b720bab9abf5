/**
 * Personal data at rest: AES-256-GCM under a per-tenant key, a fresh random 96-bit IV for every
 * value, stored together as `v1.<iv>.<ciphertext>` (base64url). The request id and the field name
 * are bound in as additional data, so a ciphertext copied into another row or column does not open.
 */
/** A WebCrypto AES-GCM key; named here because Node's and the Workers' typings declare it differently. */
export type TenantKey = Awaited<ReturnType<typeof crypto.subtle.deriveKey>>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FORMAT = 'v1';
const HKDF_SALT = encoder.encode('wijkteams/intake/personal-data');
const MIN_SECRET_LENGTH = 32;

/**
 * The tenant's key from its secret (at least 32 characters of high-entropy material, such as 32
 * random bytes in base64). HKDF-SHA-256 rather than a password hash: the secret is a key, not a
 * password, and a key is imported on every request in a Worker.
 */
export async function importTenantKey(secret: string): Promise<TenantKey> {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`A tenant key secret needs at least ${MIN_SECRET_LENGTH} characters`);
  }
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: encoder.encode('aes-256-gcm') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function encryptText(key: TenantKey, plaintext: string, binding: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(binding) },
    key,
    encoder.encode(plaintext),
  );
  return `${FORMAT}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
}

/** Throws where the value was not made with this key and binding: that is never an expected case. */
export async function decryptText(key: TenantKey, stored: string, binding: string): Promise<string> {
  const [format, iv, ciphertext] = stored.split('.');
  if (format !== FORMAT || !iv || !ciphertext) throw new Error('Unknown ciphertext format');
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: encoder.encode(binding) },
    key,
    fromBase64Url(ciphertext),
  );
  return decoder.decode(plaintext);
}

/** Binds a status token kept for the confirmation message to its request. */
export const statusTokenBinding = (requestId: string) => `${requestId}:status-token`;

/** Binds an offer link's token, kept for the provider's message, to its offer. */
export const offerTokenBinding = (requestId: string) => `${requestId}:offer-token`;

/** A status token: 256 bits from `crypto.getRandomValues`, 43 characters of base64url. */
export function newStatusToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
