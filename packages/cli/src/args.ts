/**
 * Command-line parsing: node:util parseArgs in strict mode, the options every
 * command shares, and the checks on suite names and hex arguments.
 * @module
 */
import { parseArgs } from 'node:util';
import {
  BACKEND_ORDER,
  getSuite,
  hexToBytes,
  InvalidLengthError,
  SUITES,
  UnknownSuiteError,
  type BackendName,
  type Suite,
} from '@hybridkem/core';
import { getSignatureSuite, SIGNATURE_SUITES, type SignatureSuite } from '@hybridkem/signing';

/** A mistake in the command line itself: exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in help, for string options. */
  readonly value?: string;
  readonly description: string;
  /** Other long names that mean this option (earlier names, kept working). */
  readonly aliases?: readonly string[];
  /** May be given more than once: the value is then the list, in order. */
  readonly multiple?: boolean;
  /** The values it takes, for completions and the man page (checked by the command). */
  readonly choices?: readonly string[];
}

export interface CommandSpec {
  /** The command's words after "hybridkem", e.g. "seal" or "channel listen". */
  readonly name: string;
  readonly summary: string;
  readonly usage: readonly string[];
  readonly description?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Names of the positional arguments, all required; none when absent. */
  readonly positionals?: readonly string[];
  /** Names of positional arguments after those, each optional. */
  readonly optionalPositionals?: readonly string[];
  /** The values the positional arguments take, for completions (files when absent). */
  readonly positionalChoices?: readonly string[];
  readonly examples?: readonly string[];
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.freeze({
  backend: {
    type: 'string',
    value: 'NAME',
    choices: ['auto', ...BACKEND_ORDER],
    description: `backend: auto (fastest that loads), ${BACKEND_ORDER.join(', ')}; default $HYBRIDKEM_BACKEND or auto (signatures: the same order, among those that offer them)`,
  },
  json: { type: 'boolean', description: 'print one JSON object; byte fields as lower-case hex' },
  debug: { type: 'boolean', description: 'on errors print stack traces; report backend fallbacks' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
});

export interface CommonArgs {
  /** undefined: let core decide ($HYBRIDKEM_BACKEND, else auto). */
  readonly backend: BackendName | 'auto' | undefined;
  readonly json: boolean;
  readonly debug: boolean;
  readonly help: boolean;
}

export interface ParsedArgs {
  /** By canonical option name (aliases folded in); a list for `multiple` options. */
  readonly values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
  readonly common: CommonArgs;
}

/** Parses one command's arguments (everything after the command name). */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const all = { ...COMMON_OPTIONS, ...spec.options };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  /** Every long name given to parseArgs → the option's canonical name. */
  const canonical = new Map<string, string>();
  for (const [name, o] of Object.entries(all)) {
    for (const long of [name, ...(o.aliases ?? [])]) {
      options[long] = { type: o.type, ...(o.short && long === name ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
      canonical.set(long, name);
    }
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    // parseArgs names the option, never its value; some messages span lines.
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']{1,40})'/.exec(message);
    throw new UsageError(
      unknown
        ? `${spec.name}: unknown option ${unknown[1]}; see hybridkem ${spec.name} --help`
        : `${spec.name}: ${message.replace(/\s*\n\s*/g, ' ')}`,
    );
  }
  const seen = new Set<string>();
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const name = canonical.get(token.name)!;
    const o = all[name]!;
    if (!o.multiple && seen.has(name)) throw new UsageError(`${spec.name}: --${name} given more than once`);
    seen.add(name);
    if (o.multiple) ((values[name] ??= []) as string[]).push(token.value ?? '');
    else values[name] = o.type === 'boolean' ? true : token.value;
  }
  const common: CommonArgs = {
    backend: parseBackendName(typeof values.backend === 'string' ? values.backend : undefined),
    json: values.json === true,
    debug: values.debug === true,
    help: values.help === true,
  };
  if (!common.help) {
    const expected = spec.positionals ?? [];
    const optional = spec.optionalPositionals ?? [];
    // Never echo a stray argument: it may be a key pasted in the wrong place.
    if (parsed.positionals.length > expected.length + optional.length) {
      const names = [...expected, ...optional.map((n) => `[${n}]`)];
      throw new UsageError(
        names.length === 0
          ? `${spec.name}: unexpected argument (this command takes options only)`
          : `${spec.name}: too many arguments, expected ${names.join(' ')}`,
      );
    }
    if (parsed.positionals.length < expected.length) {
      throw new UsageError(`${spec.name}: missing argument ${expected[parsed.positionals.length]}`);
    }
  }
  return { values, positionals: parsed.positionals, common };
}

function parseBackendName(value: string | undefined): BackendName | 'auto' | undefined {
  if (value === undefined) return undefined;
  const choices: string[] = ['auto', ...BACKEND_ORDER];
  if (!choices.includes(value)) {
    throw new UsageError(`--backend: unknown backend ${JSON.stringify(value.slice(0, 32))}, expected one of ${choices.join(', ')}`);
  }
  return value as BackendName | 'auto';
}

/** A KEM suite or a composite signature suite. */
export type AnySuite =
  | { readonly family: 'kem'; readonly suite: Suite }
  | { readonly family: 'signature'; readonly suite: SignatureSuite };

const kemNames = (): string => SUITES.map((s) => s.name).join(', ');
const signatureNames = (): string => SIGNATURE_SUITES.map((s) => s.name).join(', ');

/** Looks `value` up in both families by name (case-insensitive) or hex id such as 0x647a; undefined when neither has it. */
function lookupSuite(value: string): AnySuite | undefined {
  const ref = /^0x[0-9a-f]{1,4}$/i.test(value) ? parseInt(value.slice(2), 16) : value;
  for (const find of [
    () => ({ family: 'kem', suite: getSuite(ref) }) as const,
    () => ({ family: 'signature', suite: getSignatureSuite(ref) }) as const,
  ]) {
    try {
      return find();
    } catch (error) {
      if (!(error instanceof UnknownSuiteError)) throw error;
    }
  }
  return undefined;
}

function unknownSuite(value: string, expected: string): UsageError {
  const ref = /^0x[0-9a-f]{1,4}$/i.test(value) ? parseInt(value.slice(2), 16) : value;
  return new UsageError(`${new UnknownSuiteError(ref).message}, expected one of ${expected}`);
}

/** Any suite, KEM or signature (keygen); a usage error naming both families otherwise. */
export function parseAnySuite(value: string): AnySuite {
  const found = lookupSuite(value);
  if (!found) throw unknownSuite(value, `${kemNames()} (KEMs) or ${signatureNames()} (signatures)`);
  return found;
}

/** A KEM suite by name (case-insensitive) or hex id such as 0x647a; a usage error otherwise. */
export function parseSuite(value: string): Suite {
  const found = lookupSuite(value);
  if (!found) throw unknownSuite(value, kemNames());
  if (found.family !== 'kem') {
    throw new UsageError(`${found.suite.name} is a composite signature suite, expected a KEM suite: one of ${kemNames()}`);
  }
  return found.suite;
}

/** A composite signature suite by name (case-insensitive) or hex id such as 0xfe02; a usage error otherwise. */
export function parseSignatureSuite(value: string): SignatureSuite {
  const found = lookupSuite(value);
  if (!found) throw unknownSuite(value, signatureNames());
  if (found.family !== 'signature') {
    throw new UsageError(`${found.suite.name} is a KEM suite, expected a signature suite: one of ${signatureNames()}`);
  }
  return found.suite;
}

/** The value of a string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The values of a repeatable option, in the order given (empty when absent). */
export function listOption(args: ParsedArgs, name: string): readonly string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/**
 * Raw bytes from a hex argument, checked for length; errors name `field`
 * (publicKey, seed, …) and never contain the value.
 */
export function parseHex(field: string, hex: string, length: number): Uint8Array {
  const bytes = hexToBytes(field, hex.trim());
  if (bytes.length !== length) throw new InvalidLengthError(field, length, bytes.length);
  return bytes;
}

/** Exactly one of two alternative options; returns which one was given. */
export function oneOf(args: ParsedArgs, command: string, a: string, b: string): 'a' | 'b' {
  const hasA = args.values[a] !== undefined;
  const hasB = args.values[b] !== undefined;
  if (hasA === hasB) {
    throw new UsageError(`${command}: ${hasA ? 'give only one' : 'give one'} of --${a} and --${b}`);
  }
  return hasA ? 'a' : 'b';
}

/** "-r, --recipient FILE" */
export function optionFlag(name: string, o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
}

/** The description with what help adds: the aliases and whether the option repeats. */
export function optionDescription(o: OptionSpec): string {
  const notes = [...(o.aliases?.length ? [`also ${o.aliases.map((a) => `--${a}`).join(', ')}`] : []), ...(o.multiple ? ['repeatable'] : [])];
  return notes.length ? `${o.description} (${notes.join('; ')})` : o.description;
}

/** Help text for one command. */
export function commandHelp(spec: CommandSpec): string {
  const lines: string[] = [`hybridkem ${spec.name}: ${spec.summary}`, '', 'Usage:'];
  for (const u of spec.usage) lines.push(`  ${u}`);
  if (spec.description) lines.push('', spec.description);
  lines.push('', 'Options:');
  const all = { ...spec.options, ...COMMON_OPTIONS };
  const left = Object.entries(all).map(([name, o]) => [optionFlag(name, o), optionDescription(o)] as const);
  const width = Math.max(...left.map(([f]) => f.length));
  for (const [flag, description] of left) lines.push(`  ${flag.padEnd(width)}  ${description}`);
  if (spec.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(`  ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
