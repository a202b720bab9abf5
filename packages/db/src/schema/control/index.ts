export * from './api-keys.ts';
export * from './audit-events.ts';
export * from './tenant-settings.ts';
export * from './tenants.ts';
