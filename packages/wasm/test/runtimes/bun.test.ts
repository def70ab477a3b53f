// Bun (npm package `bun`): runs the TypeScript entry directly.
import { describeCliRuntime } from './cli-runtimes.js';
import { devBinary } from './tools.js';

describeCliRuntime('Bun', devBinary('bun'), (entry, vectors) => [entry, vectors]);
