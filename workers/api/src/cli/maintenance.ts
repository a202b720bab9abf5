/**
 * `npm run maintenance` (also `npm run retention`): on Node, the same scheduled work the Worker's
 * Cron Trigger does: retention, timed-out offers, expired vouchers, for every active tenant.
 */
import { nodeDatabaseSettings } from '@wijkteams/db/node';
import { runMaintenance } from '../maintenance.ts';
import { nodeRuntime } from '../node-runtime.ts';
import { secretsFromDataDir } from '../node-secrets.ts';

const settings = nodeDatabaseSettings(process.env);
const runtime = nodeRuntime(settings, {
  ...process.env,
  ...secretsFromDataDir(settings.dataDir, process.env),
});
const results = await runMaintenance(runtime, new Date());
for (const r of results) {
  console.log(
    `${r.tenant.padEnd(18)} ${r.error ? `FAILED: ${r.error}` : `anonymised ${r.anonymised}, deleted ${r.deleted}, offers expired ${r.offersExpired}, vouchers expired ${r.vouchersExpired}`}`,
  );
}
process.exitCode = results.some((r) => r.error) ? 1 : 0;
