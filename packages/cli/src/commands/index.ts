/**
 * The table of commands: parsing, --help, `hybridkem completion` and
 * `hybridkem man` all read it. A nested command (`hybridkem channel listen`)
 * is a CommandGroup here with its own commands; nothing else changes.
 * @module
 */
import type { CommandGroup } from '../command-tree.js';
import { audit } from './audit.js';
import { backends } from './backends.js';
import { channelGroup } from './channel.js';
import { completionCommand } from './completion.js';
import { decapsulate } from './decapsulate.js';
import { encapsulate } from './encapsulate.js';
import { gateway } from './gateway.js';
import { inspect } from './inspect.js';
import { keygen } from './keygen.js';
import { manCommand } from './man.js';
import { meshGroup } from './mesh.js';
import { open } from './open.js';
import { seal } from './seal.js';
import { sign } from './sign.js';
import { vectors } from './vectors.js';
import { verify } from './verify.js';

export const ROOT: CommandGroup = {
  spec: { name: '', summary: 'hybrid post-quantum KEMs and composite signatures' },
  subcommands: [
    keygen, encapsulate, decapsulate, seal, open, sign, verify, inspect, backends, vectors, gateway, channelGroup, audit, meshGroup,
    completionCommand(() => ROOT),
    manCommand(() => ROOT),
  ],
};
