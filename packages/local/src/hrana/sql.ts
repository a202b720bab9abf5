/**
 * A minimal SQLite tokenizer that finds where the first statement of a text ends and which parameters
 * it declares. libsql's `prepare()` exposes neither: it silently ignores everything after the first
 * statement, and binding named values to a statement with a nameless `?` aborts the whole process.
 * Knowing the parameters lets us always bind by position, and answer mismatches the way sqld does.
 */

export interface StatementShape {
  /** The first token upper-cased (`SELECT`, `INSERT`, ...); '' when the text holds no statement. */
  keyword: string;
  /** Offset just past the statement, after its `;` when it has one. */
  end: number;
  /**
   * The name of each parameter by position (entry 0 is `?1`), numbered as SQLite numbers them:
   * `:a`, `@a` and `$a` keep their prefix, `?NNN` is named `?NNN`, a bare `?` has no name (null).
   */
  params: (string | null)[];
}

/** SQLITE_MAX_VARIABLE_NUMBER; a larger `?NNN` is left for `prepare()` to reject. */
const MAX_PARAMS = 32766;
const WORD_START = /[A-Za-z0-9_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Scans the statement that starts at `from` (leading whitespace, comments and empty `;` skipped). */
export function scanStatement(sql: string, from = 0): StatementShape {
  const params: (string | null)[] = [];
  const named = new Set<string>();
  // Inside CREATE TRIGGER ... BEGIN ... END, the body's own `;` do not end the statement: only a
  // `;` after `; END` does (the rule of sqlite3_complete()).
  const leading: string[] = [];
  const recent: string[] = [];
  let i = from;

  while (i < sql.length) {
    const ch = sql.charAt(i);
    const next = sql.charAt(i + 1);
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '-' && next === '-') {
      i = endOf(sql, '\n', i + 2);
      continue;
    }
    if (ch === '/' && next === '*') {
      i = endOf(sql, '*/', i + 2);
      continue;
    }

    let token = ch;
    const start = i;
    if (ch === "'" || ch === '"' || ch === '`') {
      i = endOfQuoted(sql, ch, i + 1);
    } else if (ch === '[') {
      i = endOf(sql, ']', i + 1);
    } else if (WORD_START.test(ch)) {
      i = endOfWord(sql, i + 1);
      token = sql.slice(start, i).toUpperCase();
    } else if (ch === '?') {
      i = endOfDigits(sql, i + 1);
      const position = i > start + 1 ? Number(sql.slice(start + 1, i)) : params.length + 1;
      if (position >= 1 && position <= MAX_PARAMS) {
        while (params.length < position) params.push(null);
        // A position that already has a name (`:a, ?1`) keeps it, as in SQLite.
        if (i > start + 1 && params[position - 1] === null) params[position - 1] = sql.slice(start, i);
      }
    } else if ((ch === ':' || ch === '@' || ch === '$') && WORD_PART.test(next)) {
      // Tcl-style `$a::b(c)` names are not recognised; nobody sends them over Hrana.
      i = endOfWord(sql, i + 1);
      const name = sql.slice(start, i);
      // A repeated name is the same parameter.
      if (!named.has(name)) {
        named.add(name);
        params.push(name);
      }
    } else {
      i += 1;
    }

    if (token === ';') {
      if (leading.length === 0) continue;
      if (!isTrigger(leading) || (recent.at(-1) === 'END' && recent.at(-2) === ';')) {
        return { keyword: leading[0] ?? '', end: i, params };
      }
    }
    if (leading.length < 3) leading.push(token);
    recent.push(token);
    if (recent.length > 2) recent.shift();
  }
  return { keyword: leading[0] ?? '', end: sql.length, params };
}

function isTrigger([first, second, third]: string[]): boolean {
  return (
    first === 'CREATE' &&
    (second === 'TRIGGER' || ((second === 'TEMP' || second === 'TEMPORARY') && third === 'TRIGGER'))
  );
}

function endOf(sql: string, terminator: string, from: number): number {
  const at = sql.indexOf(terminator, from);
  return at === -1 ? sql.length : at + terminator.length;
}

/** A doubled quote inside a quoted token is an escaped quote, not its end. */
function endOfQuoted(sql: string, quote: string, from: number): number {
  let i = from;
  for (;;) {
    i = endOf(sql, quote, i);
    if (i >= sql.length || sql.charAt(i) !== quote) return i;
    i += 1;
  }
}

function endOfWord(sql: string, from: number): number {
  let i = from;
  while (i < sql.length && WORD_PART.test(sql.charAt(i))) i += 1;
  return i;
}

function endOfDigits(sql: string, from: number): number {
  let i = from;
  while (i < sql.length && /[0-9]/.test(sql.charAt(i))) i += 1;
  return i;
}
