export {
  type AccountBalance,
  type AccountIdentity,
  type AccountStatement,
  accountBalance,
  accountStatement,
  auditBalances,
  type BalanceAudit,
  budgetLedger,
  findAccountId,
  holderAccount,
  MAX_STATEMENT_PAGE,
  providerAccount,
  type StatementEntry,
  SYSTEM_REFERENCE,
  systemAccount,
  VOUCHER_LEDGER,
} from './accounts.ts';
export * from './budgets.ts';
export { type ChainVerification, GENESIS_HASH, type Transfer, transferHash, verifyChain } from './chain.ts';
export * from './codes.ts';
export type { Idempotent } from './commands.ts';
export * from './context.ts';
export { canonicalJson, requestHash } from './hash.ts';
export * from './payouts.ts';
export * from './settlements.ts';
export { MAX_AMOUNT_CENTS, MAX_BATCH } from './validate.ts';
export * from './vouchers/expire.ts';
export * from './vouchers/group.ts';
export * from './vouchers/issue.ts';
export * from './vouchers/list.ts';
export * from './vouchers/read.ts';
export * from './vouchers/redeem.ts';
export * from './vouchers/reverse.ts';
export type { IssuedVoucher, SettleRefusal } from './vouchers/shared.ts';
export * from './vouchers/void.ts';
export * from './writes.ts';
