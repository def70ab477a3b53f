/**
 * A progress line on stderr for long seal / open / sign / verify runs: bytes
 * so far, rate and, when the input's size is known, the share done and the
 * time left. Only when stderr is a terminal and --quiet is not given; not
 * before SHOW_AFTER_MS (short runs stay silent), at most 10 updates a second,
 * and erased when the run ends, so that the terminal is left as it was.
 * @module
 */
import { fstatSync, statSync } from 'node:fs';
import type { OptionSpec, ParsedArgs } from './args.js';

export const QUIET_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.freeze({
  quiet: { type: 'boolean', short: 'q', description: 'no progress line on stderr (shown only when stderr is a terminal)' },
});

/** A run shorter than this shows nothing. */
const SHOW_AFTER_MS = 500;
/** At most 10 updates a second. */
const UPDATE_EVERY_MS = 100;
/** Return to the line's start and erase it (ECMA-48 EL, "erase in line"). */
const ERASE_LINE = '\r\x1b[K';

export interface Progress {
  /** Wraps the input so that its bytes are counted as they are read. */
  track<T extends Uint8Array>(input: AsyncIterable<T>): AsyncIterable<T>;
  /** Erases the line (on success and on failure). */
  end(): void;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The text of one update: "sealing: 5.0 MiB of 10.0 MiB (50%), 2.5 MiB/s, 2s left" or, size unknown, "sealing: 5.0 MiB, 2.5 MiB/s". */
export function progressLine(verb: string, bytes: number, total: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0;
  const parts = [total === undefined ? size(bytes) : `${size(bytes)} of ${size(total)} (${total === 0 ? 100 : Math.floor((bytes * 100) / total)}%)`, `${size(rate)}/s`];
  if (total !== undefined && rate > 0 && total >= bytes) parts.push(`${duration((total - bytes) / rate)} left`);
  return `${verb}: ${parts.join(', ')}`;
}

/** The size of FILE (or of stdin for "-") when it is a regular file; undefined for pipes and terminals. */
export function inputSize(path: string): number | undefined {
  try {
    const st = path === '-' ? fstatSync(0) : statSync(path);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

export function createProgress(args: ParsedArgs, verb: string, input: string): Progress {
  const enabled = process.stderr.isTTY === true && args.values.quiet !== true;
  const total = enabled ? inputSize(input) : undefined;
  const start = Date.now();
  let bytes = 0;
  let last = 0;
  let shown = false;
  return {
    track<T extends Uint8Array>(source: AsyncIterable<T>): AsyncIterable<T> {
      if (!enabled) return source;
      return (async function* () {
        for await (const chunk of source) {
          bytes += chunk.length;
          const now = Date.now();
          if (now - start >= SHOW_AFTER_MS && now - last >= UPDATE_EVERY_MS) {
            last = now;
            shown = true;
            process.stderr.write(`\r${progressLine(verb, bytes, total, now - start)}\x1b[K`);
          }
          yield chunk;
        }
      })();
    },
    end() {
      if (shown) process.stderr.write(ERASE_LINE);
      shown = false;
    },
  };
}
