/**
 * What few requests need, in a module of its own that the Worker loads on first use (see
 * `workers/api/build-on-demand.ts`): the printable voucher sheet (pdf-lib, qrcode), the SEPA credit
 * transfer file of a payout batch (sepa), and the tenant migrations that onboarding applies to a new
 * database. Together they are larger than the rest of the API, and a fresh isolate needs none of
 * them to answer.
 */
// The generated file alone, not the package: the module must not carry the rest of the database code.
import { migrations } from '@wijkteams/db/migrations';

export { SEPA_FORMAT, sepaCreditTransfer } from '@wijkteams/ledger/sepa';
export * from '../print/voucher-sheet.ts';

/** Every migration of a tenant database, in order. */
export const tenantMigrations = () => migrations.tenant;
