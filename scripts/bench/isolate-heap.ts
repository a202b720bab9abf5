/**
 * The heap of one workerd isolate, read through workerd's own inspector (Miniflare's
 * `inspectorPort`, without its inspector proxy): the DevTools protocol's `Runtime.getHeapUsage`
 * after a full garbage collection. workerd leaves `HeapProfiler.collectGarbage` unanswered, so the
 * collection is the one V8 makes before a heap snapshot (`HeapProfiler.takeHeapSnapshot`; the
 * snapshot's chunks are dropped). Needs a global WebSocket (Node 22, or Node 20 with
 * `--experimental-websocket`).
 */
import type { Miniflare } from 'miniflare';

export interface IsolateHeap {
  /** V8's used heap of the isolate, bytes. */
  usedBytes: number;
  /** The heap V8 has reserved for it, bytes. */
  totalBytes: number;
  /** Outside the V8 heap but owned by the isolate (the runtime's own objects), bytes. */
  embedderBytes: number;
}

export interface Inspector {
  /** The heap after forced garbage collections. */
  heap(): Promise<IsolateHeap>;
  close(): void;
}

/** Connects to the isolate of `workerName` (workerd names it `core:user:<name>`). */
export async function inspectIsolate(mf: Miniflare, workerName: string): Promise<Inspector> {
  if (typeof WebSocket !== 'function')
    throw new Error('No global WebSocket: run with Node 22, or Node 20 with --experimental-websocket');
  const base = await mf.getInspectorURL();
  const socket = new WebSocket(new URL(`/core:user:${workerName}`, base).href);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`No inspector at ${base}`)), { once: true });
  });
  let next = 0;
  const pending = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message);
    if (message.id !== undefined) pending.delete(message.id);
  });
  const call = <T>(method: string, params: object = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer from the inspector`)), 60_000);
      pending.set(id, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result as T);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    async heap() {
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      const usage = await call<{ usedSize: number; totalSize: number; embedderHeapUsedSize?: number }>(
        'Runtime.getHeapUsage',
      );
      return {
        usedBytes: usage.usedSize,
        totalBytes: usage.totalSize,
        embedderBytes: usage.embedderHeapUsedSize ?? 0,
      };
    },
    close: () => socket.close(),
  };
}
