#!/usr/bin/env node
/**
 * prepack guard: refuses to pack @hybridkem/wasm without its WebAssembly
 * module. A build without the wasm toolchain writes an empty
 * dist/hybridkem.wasm (scripts/build-wasm.mjs), and a tarball made from it
 * would install a backend that can never load.
 *
 *   node scripts/check-pack.mjs [distDir]   (default: this package's dist)
 *
 * Exits 0 when distDir/hybridkem.wasm is a WebAssembly module; otherwise
 * prints one line saying what is wrong and exits 1.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = resolve(process.argv[2] ?? join(dirname(dirname(fileURLToPath(import.meta.url))), 'dist'));
const file = join(dist, 'hybridkem.wasm');
const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm", the first bytes of every WebAssembly module

function problem() {
  let size;
  try {
    size = statSync(file).size;
  } catch {
    return `${file} is missing`;
  }
  if (size === 0) return `${file} is empty (built without the wasm toolchain)`;
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (!MAGIC.every((b, i) => head[i] === b)) return `${file} is not a WebAssembly module (no \\0asm header)`;
  return undefined;
}

const reason = problem();
if (reason) {
  console.error(`@hybridkem/wasm: refusing to pack: ${reason}; run \`pnpm --filter @hybridkem/wasm build\` with the wasm toolchain first`);
  process.exit(1);
}
