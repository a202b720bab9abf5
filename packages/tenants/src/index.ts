export * from './onboard.ts';
export * from './provision.ts';
export * from './provisioners/turso.ts';
export * from './registry.ts';
export * from './seed/municipalities.ts';
export * from './seed/seed-tenant.ts';
export * from './seed/types.ts';
