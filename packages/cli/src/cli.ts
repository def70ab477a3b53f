#!/usr/bin/env node
/**
 * hybridkem: keys, encapsulation, inspection, backend checks and vector
 * checks for the hybrid post-quantum KEMs of @hybridkem/core, and signing
 * and verifying with the composite signatures of @hybridkem/signing.
 * @module
 */
import { SUITES } from '@hybridkem/core';
import { SIGNATURE_SUITES } from '@hybridkem/signing';
import manifest from '../package.json' with { type: 'json' };
import { commandHelp, parseCommandArgs, UsageError } from './args.js';
import { backends } from './commands/backends.js';
import { decapsulate } from './commands/decapsulate.js';
import { encapsulate } from './commands/encapsulate.js';
import { inspect } from './commands/inspect.js';
import { keygen } from './commands/keygen.js';
import { open } from './commands/open.js';
import { seal } from './commands/seal.js';
import { sign } from './commands/sign.js';
import { vectors } from './commands/vectors.js';
import { verify } from './commands/verify.js';
import { createContext, type Command } from './context.js';
import { exitCodeOf, formatError } from './output.js';

const COMMANDS: readonly Command[] = [keygen, encapsulate, decapsulate, seal, open, sign, verify, inspect, backends, vectors];

function overallHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  return [
    `hybridkem ${manifest.version}: hybrid post-quantum KEMs and composite signatures`,
    `  KEM suites:       ${SUITES.map((s) => s.name).join(', ')}`,
    `  signature suites: ${SIGNATURE_SUITES.map((s) => s.name).join(', ')} (ML-DSA + EdDSA)`,
    '',
    'Usage: hybridkem COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary}`),
    '',
    'Options of every command: --backend NAME, --json, --debug, --help',
    'Run "hybridkem COMMAND --help" for a command\'s options.',
    'Exit status: 0 success, 1 error (for verify: also a signature that does not verify), 2 usage error.',
    '',
  ].join('\n');
}

async function run(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given; run "hybridkem --help"');
  if (first === '--version' || first === '-V') {
    if (rest.length > 0) throw new UsageError('--version takes no arguments');
    return { stdout: `${manifest.version}\n`, exitCode: 0 };
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { stdout: overallHelp(), exitCode: 0 };
    const command = COMMANDS.find((c) => c.spec.name === topic);
    if (!command || rest.length > 1) throw new UsageError(`help: unknown command; commands are ${COMMANDS.map((c) => c.spec.name).join(', ')}`);
    return { stdout: commandHelp(command.spec), exitCode: 0 };
  }
  const command = COMMANDS.find((c) => c.spec.name === first);
  if (!command) {
    throw new UsageError(
      first.startsWith('-')
        ? `expected a command before ${first.split('=')[0]!.slice(0, 40)}; run "hybridkem --help"`
        : `unknown command ${JSON.stringify(first.slice(0, 40))}; commands are ${COMMANDS.map((c) => c.spec.name).join(', ')}`,
    );
  }
  const args = parseCommandArgs(command.spec, rest);
  if (args.common.help) return { stdout: commandHelp(command.spec), exitCode: 0 };
  const result = await command.run(args, createContext(args));
  return { stdout: result.stdout, exitCode: result.exitCode ?? 0 };
}

async function main(): Promise<void> {
  // `hybridkem backends | head -1`: a closed pipe is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  const argv = process.argv.slice(2);
  const debug = argv.includes('--debug');
  try {
    const { stdout, exitCode } = await run(argv);
    if (stdout !== '') process.stdout.write(stdout);
    process.exitCode = exitCode;
  } catch (error) {
    process.stderr.write(formatError(error, debug));
    process.exitCode = exitCodeOf(error);
  }
}

await main();
