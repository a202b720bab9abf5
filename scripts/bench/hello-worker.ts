import { Hono } from 'hono';
import { helloWithAdrHeaders, helloWithApiHeaders } from './hello-headers.ts';

const app = new Hono();
app.get('/hello', (c) => c.text('Hello, world!'));
// The same hello world with the headers the API Design Rules require, and with all the headers every
// answer of the API carries.
app.get('/hello-adr', helloWithAdrHeaders);
app.get('/hello-headers', helloWithApiHeaders);

export default app;
