import ipaddr from 'ipaddr.js';

/**
 * `production`: https only, and never to a private, loopback, link-local or otherwise special
 * address. `allow-loopback` (`npm start`, tests): the same, but http and https to this machine's
 * loopback addresses are allowed too, so a receiver on 127.0.0.1 can be tried.
 */
export type UrlPolicy = 'production' | 'allow-loopback';

export const MAX_URL_LENGTH = 2_000;

const SPECIAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/i;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Whether a subscription may point at this URL (the address itself; its name is resolved later). */
export function checkWebhookUrl(input: string, policy: UrlPolicy): UrlCheck {
  if (input.length > MAX_URL_LENGTH) return { ok: false, reason: `At most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'Not an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'No user name or password in the URL' };
  if (url.hash) return { ok: false, reason: 'No fragment (#…) in the URL' };
  const loopback = isLoopbackHost(url.hostname);
  if (loopback && policy === 'allow-loopback') {
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? { ok: true, url }
      : { ok: false, reason: 'http or https only' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'Webhooks are delivered over https only' };
  const host = bareHost(url.hostname);
  if (ipaddr.isValid(host)) {
    return isPublicAddress(host)
      ? { ok: true, url }
      : { ok: false, reason: 'Not a public address (private, loopback, link-local or reserved)' };
  }
  if (SPECIAL_NAMES.test(host) || !host.includes('.')) {
    return { ok: false, reason: 'Not a public host name' };
  }
  return { ok: true, url };
}

/** True for an address on the public internet (`unicast`); false for every special range. */
export function isPublicAddress(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.parse(host).range() === 'loopback';
}

/** Checked again at delivery: a public name may resolve to a private address (DNS rebinding). */
export async function checkResolvedHost(
  url: URL,
  policy: UrlPolicy,
  resolve: ((host: string) => Promise<string[]>) | undefined,
): Promise<string | undefined> {
  const host = bareHost(url.hostname);
  if (!resolve || ipaddr.isValid(host)) return undefined;
  if (policy === 'allow-loopback' && isLoopbackHost(host)) return undefined;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return 'The host name does not resolve';
  }
  const refused = addresses.find((a) => !isPublicAddress(a));
  return refused === undefined ? undefined : 'The host name resolves to a non-public address';
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();
