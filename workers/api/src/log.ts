/** One structured log record: a JSON object on one line. */
export type LogRecord = { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;
export type Log = (record: LogRecord) => void;

/** The platform's console, which Workers capture (Workers Logs, `wrangler tail`): one method per level. */
export const consoleLog: Log = (record) =>
  console[record.level === 'info' ? 'log' : record.level](JSON.stringify(record));
