import { Hono } from 'hono';
import { helloWithApiHeaders, helloWithVersionHeader } from './hello-headers.ts';

const app = new Hono();
app.get('/hello', (c) => c.text('Hello, world!'));
// The same hello world with the API-Version header only, and with all the headers every answer of
// the API carries.
app.get('/hello-version', helloWithVersionHeader);
app.get('/hello-headers', helloWithApiHeaders);

export default app;
