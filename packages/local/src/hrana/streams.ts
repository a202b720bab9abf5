import { randomBytes } from 'node:crypto';
import { type Connection, openConnection } from './connection.ts';
import { ProtocolError } from './protocol.ts';

/** A Hrana stream: one connection, plus the SQL texts its client stored to refer to by id. */
export class Stream {
  readonly file: string;
  readonly sqls = new Map<number, string>();
  #conn: Connection | undefined;

  constructor(file: string, conn: Connection) {
    this.file = file;
    this.#conn = conn;
  }

  get conn(): Connection {
    if (this.#conn === undefined) throw new ProtocolError('The stream is closed');
    return this.#conn;
  }

  get closed(): boolean {
    return this.#conn === undefined;
  }

  /** Ends the stream, rolling back a transaction its client left open. */
  close(): void {
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn === undefined) return;
    // libsql only really closes a connection once its statement objects are garbage collected, so
    // close() alone would keep an open transaction (and the write lock) alive until then.
    try {
      if (conn.inTransaction) conn.exec('ROLLBACK');
    } catch (error) {
      console.error('hrana: rolling back a closing stream failed', error);
    } finally {
      conn.close();
    }
  }
}

/**
 * Every open stream. Between HTTP requests a stream is parked under a baton that is good for one
 * request: the request takes the stream out, so a second request presenting the same baton cannot
 * run on it at the same time, and the response hands out a new baton (as sqld does). Requests on one
 * stream are therefore strictly sequential.
 */
export class StreamRegistry {
  readonly #idleMs: number;
  readonly #parked = new Map<string, { stream: Stream; timer: NodeJS.Timeout }>();
  readonly #open = new Set<Stream>();
  #closed = false;

  constructor(idleMs: number) {
    this.#idleMs = idleMs;
  }

  async open(file: string): Promise<Stream> {
    const conn = await openConnection(file);
    if (this.#closed) {
      conn.close();
      throw new Error('The Hrana server is closed');
    }
    const stream = new Stream(file, conn);
    this.#open.add(stream);
    return stream;
  }

  /** Takes a parked stream for the duration of one request. */
  take(baton: string, file: string): Stream {
    const parked = this.#parked.get(baton);
    // A baton only opens the database that issued it, whatever URL it is presented at.
    if (parked === undefined || parked.stream.file !== file) {
      throw new ProtocolError(
        `Unknown baton: its stream was closed, sat idle for over ${this.#idleMs} ms, or belongs to another database`,
        'BATON_INVALID',
      );
    }
    clearTimeout(parked.timer);
    this.#parked.delete(baton);
    return parked.stream;
  }

  /** Parks a stream after a request; returns the baton for the next one, or null once it is closed. */
  park(stream: Stream): string | null {
    if (stream.closed || this.#closed) {
      this.discard(stream);
      return null;
    }
    const baton = randomBytes(24).toString('base64url');
    // An abandoned stream must not hold its connection (and maybe the write lock) forever.
    const timer = setTimeout(() => {
      this.#parked.delete(baton);
      this.discard(stream);
    }, this.#idleMs);
    timer.unref();
    this.#parked.set(baton, { stream, timer });
    return baton;
  }

  discard(stream: Stream): void {
    stream.close();
    this.#open.delete(stream);
  }

  /** Closes every stream, parked or busy, and refuses new ones. */
  closeAll(): void {
    this.#closed = true;
    for (const { timer } of this.#parked.values()) clearTimeout(timer);
    this.#parked.clear();
    for (const stream of this.#open) stream.close();
    this.#open.clear();
  }
}
