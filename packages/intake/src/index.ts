export { listRequestAudit } from './audit.ts';
export {
  type Category,
  type CategoryChange,
  type CategoryDefinition,
  categorySeedStatements,
  createCategory,
  defaultCategories,
  listCategories,
  type NewCategory,
  seedCategories,
  updateCategory,
} from './categories.ts';
export { type Actor, DEFAULT_OFFER_TIMEOUT_HOURS, type IntakeContext, type InvalidParam } from './context.ts';
export {
  decryptText,
  encryptText,
  importTenantKey,
  offerTokenBinding,
  statusTokenBinding,
  type TenantKey,
} from './crypto.ts';
export { IDEMPOTENCY_WINDOW_HOURS } from './idempotency.ts';
export {
  DEFAULT_LADDER,
  expireOffers,
  getLadder,
  type OfferOutcome,
  type OfferResponseOutcome,
  offerRequest,
  respondToOffer,
  setLadder,
  type TierDefinition,
} from './ladder.ts';
export {
  answerOfferLink,
  type LinkAnswer,
  type LinkLookup,
  type OfferView,
  openOfferLink,
  type ResidentContact,
  tenantOfToken,
} from './offers.ts';
export type {
  Conflict,
  IllegalTransition,
  InvalidInput,
  MoveOutcome,
  NotFound,
  RequestState,
} from './outcomes.ts';
export {
  activeProvider,
  decryptIban,
  getProvider,
  listProviders,
  NewProviderSchema,
  type Provider,
  type ProviderContact,
  type ProviderInput,
  type ProviderPatch,
  ProviderPatchSchema,
  type ProviderPayee,
  providerNames,
  providerPayees,
  registerProvider,
  type UpdateOutcome,
  updateProvider,
} from './providers.ts';
export {
  issueStatusToken,
  type NewStatusTokenOutcome,
  type PublicStatus,
  type PublicStatusOutcome,
  publicStatus,
  WITHDRAWABLE,
  type WithdrawOutcome,
  withdrawWithToken,
} from './public.ts';
export {
  type HistoryEntry,
  listRequests,
  MAX_PAGE,
  overdueRequests,
  type ReadOutcome,
  type RequestDetail,
  type RequestFilters,
  type RequestSummary,
  readRequest,
} from './read.ts';
export { hasNumberedRequests, isReference, REFERENCE_PATTERN } from './reference.ts';
export { type RequestReport, requestReport } from './report.ts';
export { applyRetention, type EraseOutcome, eraseRequest, type RetentionPolicy } from './retention.ts';
export { canTransition, isOpen, OPEN_STATUSES, TRANSITIONS } from './status.ts';
export {
  CONTACT_CHANNELS,
  CONTACT_PHONE_PATTERN,
  type IntakeInput,
  intakeBodySchema,
  MAX_DESCRIPTION_LENGTH,
  type SubmitOptions,
  type SubmitOutcome,
  type Submitter,
  submitRequest,
} from './submit.ts';
export { MAX_NOTE_LENGTH, type TransitionOutcome, transition } from './transition.ts';
