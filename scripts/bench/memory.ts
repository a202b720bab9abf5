/**
 * Memory of the national PC4 index, measured in a fresh process (run with --expose-gc): 20 indexes
 * are built and kept, and the growth of the heap plus array buffers is divided by 20, so that
 * collector noise and one-off code compilation hardly count.
 */
import { NationalIndex, PC4_NL_DATA_BYTES, warmUp } from './memory-subject.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const COPIES = 20;
warmUp();
new NationalIndex();
const before = await settle();
const kept = Array.from({ length: COPIES }, () => new NationalIndex());
const after = await settle();
if (kept.some((index) => !index.municipalityOf('9712'))) throw new Error('index is empty');
process.stdout.write(
  `${JSON.stringify({ indexBytes: Math.round((after - before) / COPIES), csvBytes: PC4_NL_DATA_BYTES })}\n`,
);
