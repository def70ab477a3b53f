/**
 * Deno and Bun run this file like cli-entry.ts, on `@hybridkem/wasm/lite`:
 * `await initWasm()` with no source loads hybridkem.wasm beside dist/lite.js
 * (a file: URL: fetch in Deno and Bun), then the vectors run.
 * @module
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { backend, initWasm } from '@hybridkem/wasm/lite';
import { runVectors, type Answer } from './run-vectors.js';

const host = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const runtime = host.Deno ? `deno ${host.Deno.version.deno}` : host.Bun ? `bun ${host.Bun.version}` : `node ${process.version}`;
const file = process.argv[2];
if (!file) throw new Error('usage: cli-lite-entry.ts <vectors.json>');
const answers = JSON.parse(readFileSync(file, 'utf8')) as Answer[];
const ready = await initWasm();
if (ready !== backend) throw new Error('initWasm() resolved to another backend');
process.stdout.write(`${JSON.stringify(runVectors(ready, answers, `${runtime} (lite)`))}\n`);
