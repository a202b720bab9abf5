export * from './client/locate.ts';
export * from './drizzle.ts';
export * from './hash.ts';
export * from './ids.ts';
export * from './migrations/index.ts';
export * from './schema/control/index.ts';
export * from './schema/tenant/index.ts';
export * from './text.ts';
