import { Hono } from 'hono';
import { helloWithApiHeaders } from './hello-headers.ts';

const app = new Hono();
app.get('/hello', (c) => c.text('Hello, world!'));
// The same hello world with only the headers every answer of the API carries.
app.get('/hello-headers', helloWithApiHeaders);

export default app;
