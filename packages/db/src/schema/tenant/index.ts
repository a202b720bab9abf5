export * from './areas.ts';
export * from './coverage.ts';
export * from './events.ts';
export * from './intake.ts';
export * from './ledger.ts';
export * from './meta.ts';
export * from './teams.ts';
