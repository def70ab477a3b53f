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
import { UsageError, parseCommandArgs } from './args.js';
import { groupHelp, isGroup, nodeHelp, qualified, resolveCommand } from './command-tree.js';
import { ROOT } from './commands/index.js';
import { createContext } from './context.js';
import { EXIT_STATUS, exitCodeOf, formatError } from './output.js';

/** The root's help: what the tool does, its suites, its commands. */
export function overallHelp(): string {
  const header = [
    `hybridkem ${manifest.version}: ${ROOT.spec.summary}`,
    `  KEM suites:       ${SUITES.map((s) => s.name).join(', ')}`,
    `  signature suites: ${SIGNATURE_SUITES.map((s) => s.name).join(', ')} (ML-DSA + EdDSA)`,
  ];
  return `${groupHelp(ROOT, '', header)}${EXIT_STATUS}\n`;
}

async function run(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given; run "hybridkem --help"');
  if (first === '--version' || first === '-V') {
    if (rest.length > 0) throw new UsageError('--version takes no arguments');
    return { stdout: `${manifest.version}\n`, exitCode: 0 };
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    if (rest.length === 0) return { stdout: overallHelp(), exitCode: 0 };
    let topic;
    try {
      topic = resolveCommand(ROOT, rest);
    } catch {
      topic = undefined;
    }
    if (!topic || topic.rest.length > 0) throw new UsageError(`help: unknown command; commands are ${ROOT.subcommands.map((c) => c.spec.name).join(', ')}`);
    return { stdout: nodeHelp(topic.node, topic.name), exitCode: 0 };
  }
  if (first.startsWith('-')) throw new UsageError(`expected a command before ${first.split('=')[0]!.slice(0, 40)}; run "hybridkem --help"`);
  const { node, name, rest: args } = resolveCommand(ROOT, argv);
  if (isGroup(node)) {
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) return { stdout: nodeHelp(node, name), exitCode: 0 };
    throw new UsageError(`${name}: expected a command: ${node.subcommands.map((c) => c.spec.name).join(', ')}; see hybridkem ${name} --help`);
  }
  const spec = qualified(node.spec, name.split(' ').slice(0, -1).join(' '));
  const parsed = parseCommandArgs(spec, args);
  if (parsed.common.help) return { stdout: nodeHelp(node, name), exitCode: 0 };
  const result = await node.run(parsed, createContext(parsed));
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
