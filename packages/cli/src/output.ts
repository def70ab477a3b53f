/**
 * What the CLI prints: command results, JSON, warnings and one-line errors.
 * Commands return their output instead of printing it, so a failure leaves
 * stdout empty.
 * @module
 */
import { bytesToHex, HybridKemError } from '@hybridkem/core';
import { UsageError } from './args.js';

/** What a command prints on stdout, and its exit status (0 by default). */
export interface CommandResult {
  readonly stdout: string;
  readonly exitCode?: number;
}

/** A failure that is not a usage error, with a message fit to print (exit status 1). */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

export const hex = bytesToHex;

/** One JSON document, two-space indented, with a final newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function warn(message: string): void {
  process.stderr.write(`hybridkem: warning: ${message}\n`);
}

export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

/**
 * An error and its causes as one line: the first line of each message,
 * joined with ": " (an AggregateError's errors with "; "). Library errors
 * never carry secret bytes (core's errors.ts); neither do the CLI's own.
 */
export function describeError(error: unknown, depth = 0): string {
  if (depth > 4) return '…';
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((e) => describeError(e, depth + 1)).join('; ');
  }
  if (!(error instanceof Error)) return firstLine(String(error));
  const text = firstLine(error.message) || error.name;
  // The CLI's own errors already say what their cause said (--debug shows the chain).
  if (error.cause === undefined || error instanceof CliError) return text;
  return `${text}: ${describeError(error.cause, depth + 1)}`;
}

/** The stderr text for a failed command: one line, or the stack chain with --debug. */
export function formatError(error: unknown, debug: boolean): string {
  const line = `hybridkem: ${describeError(error)}\n`;
  if (!debug) return line;
  const parts: string[] = [line];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    if (e instanceof Error) {
      const code = e instanceof HybridKemError ? ` [${e.code}]` : '';
      parts.push(`${depth === 0 ? '' : 'caused by: '}${e.stack ?? e.message}${code}\n`);
      if (e instanceof AggregateError) for (const inner of e.errors) parts.push(`  - ${describeError(inner)}\n`);
      e = e.cause;
    } else {
      parts.push(`caused by: ${String(e)}\n`);
      e = undefined;
    }
  }
  return parts.join('');
}

/** The exit statuses, as --help and the man page state them. */
export const EXIT_STATUS = 'Exit status: 0 success, 1 error (for verify: also a signature that does not verify; for audit verify: a log that does not verify), 2 usage error.';
