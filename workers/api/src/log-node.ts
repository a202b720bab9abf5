import SonicBoom from 'sonic-boom';
import type { Log } from './log.ts';

/**
 * Log lines to standard output without a write per line: `console.log` writes synchronously to
 * files and pipes, which costs a busy server more than its cheapest routes. Lines written while a
 * write is in flight go out together in the next one; nothing waits when the server is quiet.
 */
export function bufferedStdoutLog(): { log: Log; flush: () => void } {
  const out = new SonicBoom({ fd: 1, sync: false });
  return {
    log: (record) => out.write(`${JSON.stringify(record)}\n`),
    flush: () => {
      try {
        out.flushSync();
      } catch {
        // A write in flight finishes on its own; at exit there is nothing better to do.
      }
    },
  };
}
