import { UsageError } from '../args.js';
import { completionScript, SHELLS, type Shell } from '../completions.js';
import type { CommandGroup } from '../command-tree.js';
import type { Command } from '../context.js';

/** `hybridkem completion`, over the command table `root()` returns (commands/index.ts passes its own). */
export const completionCommand = (root: () => CommandGroup): Command => ({
  spec: {
    name: 'completion',
    summary: 'print a shell completion script (bash, zsh or fish)',
    usage: ['hybridkem completion bash|zsh|fish'],
    description: [
      'Prints the completion script for SHELL, generated from the same command table as --help:',
      'commands and subcommands, options, suite, backend and AEAD names, and file names.',
      'Load it for the current shell, or install it where the shell looks for completions.',
    ].join('\n'),
    options: {},
    positionals: ['SHELL'],
    positionalChoices: SHELLS,
    examples: [
      'source <(hybridkem completion bash)          # bash, this shell; or into ~/.local/share/bash-completion/completions/hybridkem',
      'hybridkem completion zsh > "${fpath[1]}/_hybridkem"   # zsh',
      'hybridkem completion fish > ~/.config/fish/completions/hybridkem.fish',
    ],
  },

  async run(args) {
    const shell = args.positionals[0]!;
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`completion: unknown shell ${JSON.stringify(shell.slice(0, 20))}, expected one of ${SHELLS.join(', ')}`);
    }
    if (args.common.json) throw new UsageError('completion: --json is not supported (the output is a script)');
    return { stdout: completionScript(shell as Shell, root()) };
  },
});
