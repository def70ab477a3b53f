/**
 * Deno and Bun run this file: `<runtime> cli-entry.ts <vectors.json>` prints
 * one JSON RuntimeSummary on stdout. Only node: modules both runtimes provide.
 * @module
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { backend } from './backend.js';
import { runVectors, type Answer } from './run-vectors.js';

const host = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const runtime = host.Deno ? `deno ${host.Deno.version.deno}` : host.Bun ? `bun ${host.Bun.version}` : `node ${process.version}`;
const file = process.argv[2];
if (!file) throw new Error('usage: cli-entry.ts <vectors.json>');
const answers = JSON.parse(readFileSync(file, 'utf8')) as Answer[];
process.stdout.write(`${JSON.stringify(runVectors(await backend, answers, runtime))}\n`);
