/**
 * The command tree: a command runs; a group (such as `hybridkem channel`)
 * holds subcommands. The one table in commands/index.ts drives parsing,
 * --help, shell completions and the man page, so each fact is written once.
 * @module
 */
import { COMMON_OPTIONS, commandHelp, UsageError, type CommandSpec } from './args.js';
import type { Command } from './context.js';

export interface GroupSpec {
  /** The group's words after "hybridkem" ("" for the root). */
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
}

export interface CommandGroup {
  readonly spec: GroupSpec;
  readonly subcommands: readonly CommandNode[];
}

export type CommandNode = Command | CommandGroup;

export function isGroup(node: CommandNode): node is CommandGroup {
  return 'subcommands' in node;
}

/** `spec` with its full name ("channel listen" for listen under channel). */
export function qualified<S extends CommandSpec | GroupSpec>(spec: S, parent: string): S {
  return parent === '' ? spec : { ...spec, name: `${parent} ${spec.name}` };
}

/** Every node under `group`, depth first, each with its full name, the group's own spec first. */
export function walk(group: CommandGroup, parent = ''): { node: CommandNode; name: string }[] {
  const out: { node: CommandNode; name: string }[] = [];
  for (const child of group.subcommands) {
    const name = parent === '' ? child.spec.name : `${parent} ${child.spec.name}`;
    out.push({ node: child, name });
    if (isGroup(child)) out.push(...walk(child, name));
  }
  return out;
}

export interface Resolved {
  /** The command or group named by argv's leading words. */
  readonly node: CommandNode;
  /** Its full name ("" for the root). */
  readonly name: string;
  /** argv after those words. */
  readonly rest: readonly string[];
}

/** Follows argv's leading words down the tree as far as they name subcommands. */
export function resolveCommand(root: CommandGroup, argv: readonly string[]): Resolved {
  let node: CommandNode = root;
  let name = '';
  let i = 0;
  while (isGroup(node) && i < argv.length) {
    const word = argv[i]!;
    if (word.startsWith('-')) break;
    const child: CommandNode | undefined = node.subcommands.find((c) => c.spec.name === word);
    if (!child) {
      const where = name === '' ? 'commands' : `${name} commands`;
      throw new UsageError(`unknown command ${JSON.stringify(word.slice(0, 40))}; ${where} are ${node.subcommands.map((c) => c.spec.name).join(', ')}`);
    }
    node = child;
    name = name === '' ? word : `${name} ${word}`;
    i++;
  }
  return { node, name, rest: argv.slice(i) };
}

/** Help of a group: its subcommands with their summaries. */
export function groupHelp(group: CommandGroup, name: string, header: readonly string[] = []): string {
  const width = Math.max(...group.subcommands.map((c) => c.spec.name.length));
  const prefix = name === '' ? 'hybridkem' : `hybridkem ${name}`;
  return [
    ...(header.length ? header : [`${prefix}: ${group.spec.summary}`]),
    '',
    `Usage: ${prefix} COMMAND [options]`,
    ...(group.spec.description ? ['', group.spec.description] : []),
    '',
    'Commands:',
    ...group.subcommands.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary}${isGroup(c) ? ' (subcommands)' : ''}`),
    '',
    `Options of every command: ${Object.entries(COMMON_OPTIONS).map(([n, o]) => `--${n}${o.type === 'string' ? ` ${o.value}` : ''}`).join(', ')}`,
    `Run "${prefix} COMMAND --help" for a command's options.`,
    '',
  ].join('\n');
}

/** Help of a command or a group below the root, by its full name. */
export function nodeHelp(node: CommandNode, name: string): string {
  if (isGroup(node)) return groupHelp(node, name);
  return commandHelp(qualified(node.spec, name.split(' ').slice(0, -1).join(' ')));
}
