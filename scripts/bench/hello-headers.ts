import type { Context } from 'hono';
import { setFrameHeaders } from '../../workers/api/src/middleware/observability.ts';

/** Hello world with the response headers every answer of the API carries, and nothing else. */
export const helloWithApiHeaders = (c: Context) => {
  setFrameHeaders(c, crypto.randomUUID());
  return c.text('Hello, world!');
};
