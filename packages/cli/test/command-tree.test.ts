/**
 * The command tree (issue #14): nested commands resolve, get their own help,
 * completions and man-page sections from the one table, and unknown words are
 * usage errors. A tree with a `channel listen|connect` group stands in for the
 * nested commands still to come. Runs the sources in-process (no spawn).
 */
import { describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError } from '../src/args.js';
import { groupHelp, nodeHelp, resolveCommand, type CommandGroup } from '../src/command-tree.js';
import { completionScript } from '../src/completions.js';
import type { Command } from '../src/context.js';
import { manPage } from '../src/manpage.js';

const leaf = (name: string, summary: string): Command => ({
  spec: {
    name,
    summary,
    usage: [`hybridkem channel ${name} --port N`],
    options: {
      port: { type: 'string', value: 'N', description: 'TCP port' },
      identity: { type: 'string', short: 'i', value: 'FILE', description: 'private key file', aliases: ['key'], multiple: true },
    },
  },
  run: async () => ({ stdout: `${name}\n` }),
});

const TREE: CommandGroup = {
  spec: { name: '', summary: 'test tree' },
  subcommands: [
    leaf('inspect', 'describe a file'),
    { spec: { name: 'channel', summary: 'encrypted channels' }, subcommands: [leaf('listen', 'wait for a peer'), leaf('connect', 'call a peer')] },
  ],
};

describe('command tree', () => {
  it('resolves nested commands and leaves their arguments', () => {
    const r = resolveCommand(TREE, ['channel', 'listen', '--port', '7', '-i', 'a.key']);
    expect(r.name).toBe('channel listen');
    expect(r.node.spec.name).toBe('listen');
    expect(r.rest).toEqual(['--port', '7', '-i', 'a.key']);
    expect(resolveCommand(TREE, ['channel']).name).toBe('channel');
  });

  it('an unknown subcommand is a usage error naming the choices', () => {
    expect(() => resolveCommand(TREE, ['channel', 'dial'])).toThrow(new UsageError('unknown command "dial"; channel commands are listen, connect'));
  });

  it('a group has help listing its subcommands; a leaf has its own with its full name', () => {
    expect(groupHelp(TREE.subcommands[1] as CommandGroup, 'channel')).toBe(
      [
        'hybridkem channel: encrypted channels',
        '',
        'Usage: hybridkem channel COMMAND [options]',
        '',
        'Commands:',
        '  listen   wait for a peer',
        '  connect  call a peer',
        '',
        'Options of every command: --backend NAME, --json, --debug, --help',
        'Run "hybridkem channel COMMAND --help" for a command\'s options.',
        '',
      ].join('\n'),
    );
    const help = nodeHelp((TREE.subcommands[1] as CommandGroup).subcommands[0]!, 'channel listen');
    expect(help.split('\n')[0]).toBe('hybridkem channel listen: wait for a peer');
    expect(help).toContain('  -i, --identity FILE  private key file (also --key; repeatable)\n');
  });

  it('aliases fold into the canonical option; repeatable options collect every value in order', () => {
    const spec = { ...(TREE.subcommands[0] as Command).spec, name: 'inspect' };
    const args = parseCommandArgs(spec, ['-i', 'a.key', '--key', 'b.key', '--identity=c.key', '--port', '1']);
    expect(args.values.identity).toEqual(['a.key', 'b.key', 'c.key']);
    expect(args.values.port).toBe('1');
    expect(() => parseCommandArgs(spec, ['--port', '1', '--port', '2'])).toThrow(new UsageError('inspect: --port given more than once'));
  });

  it('completions and the man page cover the nested commands', () => {
    const bash = completionScript('bash', TREE);
    expect(bash).toContain('      /inspect|/channel|/channel/listen|/channel/connect) path="$path/$word" ;;\n');
    expect(bash).toContain('    /channel) words="listen connect --help" ;;\n');
    expect(bash).toContain('    /channel/listen) words="--port --identity -i --key --backend --json --debug --help -h" ;;\n');
    expect(bash).toContain('    "/channel/listen --identity"|"/channel/listen -i"|"/channel/listen --key") COMPREPLY=($(compgen -f -- "$cur")); return ;;\n');
    expect(completionScript('fish', TREE)).toContain(
      "complete -c hybridkem -n '__fish_seen_subcommand_from channel; and not __fish_seen_subcommand_from listen connect' -a listen -d 'wait for a peer'\n",
    );
    expect(completionScript('zsh', TREE)).toContain("      cmds=('listen:wait for a peer' 'connect:call a peer')\n");
    const man = manPage(TREE, 'Exit status: 0.');
    expect(man).toContain('.SS hybridkem channel listen\nwait for a peer\n');
    expect(man).toContain('.TP\n\\fB\\-i, \\-\\-identity\\fR \\fIFILE\\fR\nprivate key file (also \\-\\-key; repeatable)\n');
  });
});
