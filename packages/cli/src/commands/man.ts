import { UsageError } from '../args.js';
import type { Command } from '../context.js';
import { manPage } from '../manpage.js';
import { EXIT_STATUS } from '../output.js';
import type { CommandGroup } from '../command-tree.js';

/** `hybridkem man`, over the command table `root()` returns (commands/index.ts passes its own). */
export const manCommand = (root: () => CommandGroup): Command => ({
  spec: {
    name: 'man',
    summary: 'print the hybridkem(1) man page (roff)',
    usage: ['hybridkem man'],
    description: [
      'Prints the man page, made from the same command table as --help; the package installs',
      'it as hybridkem(1). To read it here: hybridkem man | man -l -',
    ].join('\n'),
    options: {},
    examples: ['hybridkem man | man -l -', 'hybridkem man > hybridkem.1'],
  },

  async run(args) {
    if (args.common.json) throw new UsageError('man: --json is not supported (the output is roff)');
    return { stdout: manPage(root(), EXIT_STATUS) };
  },
});
