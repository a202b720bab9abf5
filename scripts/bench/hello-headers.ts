import type { Context } from 'hono';
import { API_VERSION } from '../../workers/api/src/context.ts';
import {
  ADR_SECURITY_HEADERS,
  API_CONTENT_SECURITY_POLICY,
  setFrameHeaders,
} from '../../workers/api/src/middleware/observability.ts';

/**
 * Hello world with the headers the API Design Rules ask of every answer, with the app's values:
 * `API-Version` (/core/version-header, checked by the ADR linter) and the transport security headers
 * (/core/transport/security-headers: Cache-Control, Content-Security-Policy, Strict-Transport-Security,
 * X-Content-Type-Options, X-Frame-Options). No answer of an API that follows the rules carries less.
 */
export const helloWithAdrHeaders = (c: Context) => {
  c.header('API-Version', API_VERSION);
  c.header('Cache-Control', 'no-store');
  c.header('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
  for (const [name, value] of ADR_SECURITY_HEADERS) c.header(name, value);
  return c.text('Hello, world!');
};

/** Hello world with the response headers every answer of the API carries, and nothing else. */
export const helloWithApiHeaders = (c: Context) => {
  setFrameHeaders(c, crypto.randomUUID());
  return c.text('Hello, world!');
};
