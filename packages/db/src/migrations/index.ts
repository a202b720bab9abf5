export * from './apply.ts';
export * from './fan-out.ts';
export { migrations } from './migrations.generated.ts';
export * from './types.ts';
