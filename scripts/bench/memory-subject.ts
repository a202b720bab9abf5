import { parsePc4Csv } from '../../packages/lookup/src/cbs/pc4.ts';
import { PC4_NL_CSV } from '../../packages/lookup/src/cbs/pc4-nl.generated.ts';

export { NationalIndex } from '../../packages/lookup/src/national.ts';
export const PC4_NL_CSV_BYTES = PC4_NL_CSV.length;

/** Compiles the parsing code before the measurement, so the figure is data, not bytecode. */
export function warmUp(): void {
  parsePc4Csv(PC4_NL_CSV.split('\n').slice(0, 50).join('\n'));
}
