// Bun (npm package `bun`): runs the TypeScript entry directly.
import { devBinary } from '@hybridkem/test-runtimes/runtime';
import { describeCliRuntime } from './cli-runtimes.js';
import { packageRoot } from './tools.js';

describeCliRuntime('Bun', devBinary(packageRoot, 'bun'), (entry, vectors) => [entry, vectors]);
