export * from './areas.ts';
export * from './coverage.ts';
export * from './teams.ts';
