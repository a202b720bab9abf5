/** The real Worker (its fetch and its Queue consumer), plus a hello-world route inside the app for the in-app baseline. */
import worker, { app } from '../../workers/api/src/worker.ts';

export { TenantLedger } from '../../workers/api/src/worker.ts';

app.get('/hello-app', (c) => c.text('Hello, world!'));

export default worker;
