// Deno (npm package `deno`): no network, reads only, no prompt; --sloppy-imports
// lets the shared .ts test files import each other as .js, as tsc wants.
import { devBinary } from '@hybridkem/test-runtimes/runtime';
import { describeCliRuntime } from './cli-runtimes.js';
import { packageRoot } from './tools.js';

describeCliRuntime('Deno', devBinary(packageRoot, 'deno'), (entry, vectors) => [
  'run',
  '--no-prompt',
  '--no-lock',
  '--sloppy-imports',
  '--allow-read',
  entry,
  vectors,
]);
