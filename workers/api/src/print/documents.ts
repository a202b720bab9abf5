/**
 * The files the API makes for people and banks, in a module of their own that the Worker loads only
 * when one is asked for (see `workers/api/build-print.ts`): the printable voucher sheet (pdf-lib,
 * qrcode) and the SEPA credit transfer file of a payout batch (sepa). Together they are larger than
 * the rest of the API, and a fresh isolate needs neither to answer.
 */
export { SEPA_FORMAT, sepaCreditTransfer } from '@wijkteams/ledger/sepa';
export * from './voucher-sheet.ts';
