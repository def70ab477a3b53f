#!/usr/bin/env node
// Writes spec/vectors/<suite>.json and spec/vectors/invalid.json from the
// rules in spec/WIRE-FORMAT.md §5, and spec/vectors/signatures/<suite>.json
// (§6.8), computed with the noble backend. With
// --check it writes nothing and exits 1 when a file on disk differs from what
// it would write (CI runs this: stale vectors fail the build).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shake256 } from '@noble/hashes/sha3.js';
import {
  SUITES,
  armor,
  bytesToHex,
  createKem,
  encodeCiphertext,
  encodePrivateKey,
  encodePublicKey,
  keyId,
} from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { invalidCases } from './invalid-cases.mjs';
import { signatureVectorFiles } from './signature-vectors.mjs';

const VECTORS_PER_SUITE = 4;
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'vectors');
const GENERATOR = 'spec/scripts/generate-vectors.mjs';

const utf8 = (s) => new TextEncoder().encode(s);

/** SHAKE256("hybridkem/v1/vectors" ‖ 0x00 ‖ suite ‖ 0x00 ‖ I2OSP(index, 4) ‖ what), spec §5. */
function derive(suiteName, index, what, length) {
  const idx = new Uint8Array(4);
  new DataView(idx.buffer).setUint32(0, index);
  const parts = [utf8('hybridkem/v1/vectors'), new Uint8Array([0]), utf8(suiteName), new Uint8Array([0]), idx, utf8(what)];
  const input = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    input.set(p, o);
    o += p.length;
  }
  return shake256(input, { dkLen: length });
}

function suiteFile(suite) {
  const kem = createKem(suite, backend);
  const vectors = [];
  for (let i = 0; i < VECTORS_PER_SUITE; i++) {
    const seed = derive(suite.name, i, 'seed', suite.lengths.seed);
    const randomness = derive(suite.name, i, 'randomness', suite.lengths.randomness);
    const { publicKey, privateKey } = kem.keygen(seed);
    const { ciphertext, sharedSecret } = kem.encapsulate(publicKey, randomness);
    const decapsulated = kem.decapsulate(privateKey, ciphertext);
    if (bytesToHex(decapsulated) !== bytesToHex(sharedSecret)) throw new Error(`${suite.name} #${i}: decapsulation disagrees`);
    const encoded = {
      publicKey: encodePublicKey(suite, publicKey),
      privateKey: encodePrivateKey(suite, privateKey),
      ciphertext: encodeCiphertext(suite, ciphertext),
    };
    vectors.push({
      seed: bytesToHex(seed),
      randomness: bytesToHex(randomness),
      // §1.4: the single-algorithm suites use the seed as it is, so they have no expandedSeed.
      ...(suite.family === 'hybrid' ? { expandedSeed: bytesToHex(shake256(seed, { dkLen: 64 + suite.group.lengths.seed })) } : {}),
      publicKey: bytesToHex(publicKey),
      ciphertext: bytesToHex(ciphertext),
      sharedSecret: bytesToHex(sharedSecret),
      encoded: {
        publicKey: bytesToHex(encoded.publicKey),
        privateKey: bytesToHex(encoded.privateKey),
        ciphertext: bytesToHex(encoded.ciphertext),
      },
      armored: {
        publicKey: armor(encoded.publicKey),
        privateKey: armor(encoded.privateKey),
        ciphertext: armor(encoded.ciphertext),
      },
      keyId: keyId(encoded.publicKey),
    });
  }
  return {
    suite: suite.name,
    suiteId: suite.id,
    construction: suite.construction,
    source: suite.source,
    generator: GENERATOR,
    vectors,
  };
}

const fileName = (suite) => `${suite.name.toLowerCase()}.json`;
const render = (obj) => `${JSON.stringify(obj, null, 2)}\n`;

const files = new Map();
for (const suite of SUITES) files.set(fileName(suite), render(suiteFile(suite)));
files.set('invalid.json', render({ generator: GENERATOR, cases: invalidCases() }));
for (const [name, file] of signatureVectorFiles(derive, GENERATOR)) files.set(name, render(file));

const check = process.argv.includes('--check');
const stale = [];
let written = 0;
if (!check) mkdirSync(join(outDir, 'signatures'), { recursive: true });
for (const [name, text] of files) {
  const path = join(outDir, name);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  if (check) stale.push(name);
  else {
    writeFileSync(path, text);
    written++;
  }
}
if (check) {
  if (stale.length > 0) {
    console.error(`spec/vectors is stale: ${stale.join(', ')} differ from what ${GENERATOR} writes; run \`pnpm vectors:generate\``);
    process.exit(1);
  }
  console.log(`spec/vectors is up to date: ${files.size} files`);
} else {
  console.log(`spec/vectors: ${written} of ${files.size} files changed`);
}
