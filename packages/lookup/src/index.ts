export * from './cbs/municipalities.ts';
export * from './cbs/pc4.ts';
export * from './teams.ts';
