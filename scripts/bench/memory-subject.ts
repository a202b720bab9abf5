import { nationalPc4Areas } from '../../packages/lookup/src/cbs/pc4.ts';
import { PC4_NL } from '../../packages/lookup/src/cbs/pc4-nl.generated.ts';

export { NationalIndex } from '../../packages/lookup/src/national.ts';
/** The size of the shipped PC4 data, as the source text of its module. */
export const PC4_NL_DATA_BYTES = JSON.stringify(PC4_NL).length;

/** Compiles the decoding code before the measurement, so the figure is data, not bytecode. */
export function warmUp(): void {
  nationalPc4Areas();
}
