/**
 * Plumbing shared by the operators' CLIs (`npm run tenants`, `npm run keys`): the control database
 * from the same environment as `npm run migrate`, argument parsing, tables, and exit codes:
 * 0 done, 1 refused or failed (message on stderr), 2 usage error (usage on stderr).
 */
import { parseArgs } from 'node:util';
import type { Client } from '@libsql/client';
import { DrizzleQueryError } from 'drizzle-orm';
import { DatabaseConfigError, localDatabasePath } from '../client/locate.ts';
import { createNodeClient, tuneEmbedded } from '../client/node.ts';
import { type NodeDatabaseSettings, nodeDatabaseSettings } from '../client/settings.ts';

/** Wrong command, flag or value: answered with the usage and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command was understood but cannot be done (unknown tenant, conflict): exit code 1. */
export class OperatorError extends Error {
  override name = 'OperatorError';
}

export interface CommandArgs {
  flags: Record<string, string | undefined>;
  positionals: string[];
}

/** Parses `--flag value` options (all strings) and positionals; anything unexpected is a UsageError. */
export function parseCommand(args: string[], flags: readonly string[] = []): CommandArgs {
  try {
    const parsed = parseArgs({
      args,
      options: Object.fromEntries(flags.map((flag) => [flag, { type: 'string' as const }])),
      allowPositionals: true,
      strict: true,
    });
    return { flags: parsed.values as Record<string, string | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function requireFlag(args: CommandArgs, flag: string): string {
  const value = args.flags[flag];
  if (value === undefined || value.trim() === '') throw new UsageError(`--${flag} is required`);
  return value;
}

/** Exactly `count` positionals, named in the error when one is missing or extra. */
export function expectPositionals(args: CommandArgs, names: readonly string[]): string[] {
  if (args.positionals.length !== names.length)
    throw new UsageError(`Expected ${names.map((n) => `<${n}>`).join(' ') || 'no arguments'}`);
  return args.positionals;
}

export interface ControlConnection {
  control: Client;
  settings: NodeDatabaseSettings;
}

/** Opens the control database (never creates it), runs `work`, and closes it again. */
export async function withControl<T>(work: (connection: ControlConnection) => Promise<T>): Promise<T> {
  const settings = nodeDatabaseSettings(process.env);
  const control = createNodeClient(settings.control, { dataDir: settings.dataDir });
  try {
    if (localDatabasePath(settings.control.url) !== null) await tuneEmbedded(control);
    return await work({ control, settings });
  } finally {
    control.close();
  }
}

/** A database URL without credentials: no user info, query string (`?authToken=`) or fragment. */
export function displayDatabaseUrl(url: string): string {
  if (localDatabasePath(url) !== null || !url.includes('://')) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

/** Left-aligned columns separated by two spaces; null and undefined print as `-`. */
export function printTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const cells = [headers, ...rows].map((row) => row.map((cell) => (cell == null ? '-' : String(cell))));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  for (const row of cells)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

/**
 * Runs a CLI's `main` on the command line and sets the exit code. `--help` anywhere prints the usage;
 * errors become a one-line message on stderr, never a stack trace.
 */
export async function runCli(
  usage: string,
  main: (command: string, args: string[]) => Promise<void>,
): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'help' || process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(usage);
    return;
  }
  try {
    if (!command) throw new UsageError('No command given');
    await main(command, rest);
  } catch (error) {
    process.exitCode = exitWith(error, usage);
  }
}

function exitWith(error: unknown, usage: string): number {
  if (error instanceof UsageError) {
    console.error(`Error: ${error.message}\n\n${usage}`);
    return 2;
  }
  // Drizzle wraps the driver's error in "Failed query: <sql> params: …"; its cause says what went wrong.
  const cause = error instanceof DrizzleQueryError && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (error instanceof DatabaseConfigError) {
    console.error(`Error: ${message}. Check DATA_DIR and CONTROL_DB_URL, or run \`npm run migrate\` first.`);
  } else if (/no such table/i.test(message)) {
    console.error(`Error: ${message}. The control database is not migrated: run \`npm run migrate\`.`);
  } else {
    console.error(`Error: ${message}`);
  }
  return 1;
}
