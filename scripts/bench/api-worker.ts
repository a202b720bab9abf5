/** The real Worker, plus a hello-world route inside the app for the in-app baseline. */
import { app } from '../../workers/api/src/worker.ts';

export { TenantLedger } from '../../workers/api/src/worker.ts';

app.get('/hello-app', (c) => c.text('Hello, world!'));

export default app;
