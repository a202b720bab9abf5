export * from './audit.ts';
export * from './key-cache.ts';
export * from './keys.ts';
export * from './rate-limit.ts';
export * from './scopes.ts';
export * from './secrets.ts';
