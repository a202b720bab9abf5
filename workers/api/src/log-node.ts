import { writeSync } from 'node:fs';
import SonicBoom from 'sonic-boom';
import type { Log } from './log.ts';

/** Past this much unwritten log text (a stalled reader), further lines are dropped, not held. */
const MAX_BUFFERED = 8 * 1024 * 1024;

/**
 * Log lines without a write per line: `console.log` writes synchronously to files and pipes, which
 * costs a busy server more than its cheapest routes. Info lines go to standard output in batches
 * (lines written while a write is in flight go out together in the next one; nothing waits when the
 * server is quiet) and whatever is buffered is written when the process exits, a crash included.
 * Warnings and errors are rare and matter most: they go to standard error at once.
 */
export function bufferedStdoutLog(): { log: Log; flush: () => void } {
  const out = new SonicBoom({ fd: 1, sync: false, maxLength: MAX_BUFFERED });
  const flush = () => {
    try {
      out.flushSync();
    } catch {
      // A write in flight finishes on its own; at exit there is nothing better to do.
    }
  };
  process.once('exit', flush);
  return {
    log: (record) => {
      const line = `${JSON.stringify(record)}\n`;
      if (record.level === 'info') out.write(line);
      else writeSync(2, line);
    },
    flush,
  };
}
