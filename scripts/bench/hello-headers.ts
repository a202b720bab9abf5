import type { Context } from 'hono';
import { API_VERSION } from '../../workers/api/src/context.ts';
import { setFrameHeaders } from '../../workers/api/src/middleware/observability.ts';

/** Hello world with the one header the API Design Rules ask of every answer (/core/version-header). */
export const helloWithVersionHeader = (c: Context) => {
  c.header('API-Version', API_VERSION);
  return c.text('Hello, world!');
};

/** Hello world with the response headers every answer of the API carries, and nothing else. */
export const helloWithApiHeaders = (c: Context) => {
  setFrameHeaders(c, crypto.randomUUID());
  return c.text('Hello, world!');
};
