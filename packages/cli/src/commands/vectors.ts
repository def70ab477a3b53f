import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  armor,
  createKem,
  encodeCiphertext,
  encodePrivateKey,
  encodePublicKey,
  dearmor,
  decodeObject,
  getSuite,
  hexToBytes,
  HybridKemError,
  keyId,
  type Kem,
  type KemKindName,
  type Suite,
  type SpecVector as Vector,
  type SpecVectorFile as VectorFile,
} from '@hybridkem/core';
import { stringOption, UsageError } from '../args.js';
import type { Command } from '../context.js';
import { CliError, describeError, hex, toJson } from '../output.js';

/** dist/vectors: spec/vectors/*.json, copied there at build time. */
const BUNDLED_DIR = fileURLToPath(new URL('./vectors/', import.meta.url));


interface Failure {
  index: number;
  /** Fields whose recomputed value differs (names only, never values). */
  fields?: string[];
  error?: string;
}

interface SuiteReport {
  file: string;
  suite: string;
  total: number;
  matched: number;
  failures: Failure[];
  error?: string;
}

/** spec/vectors/invalid.json: malformed objects and the error code each must give. */
interface InvalidFile {
  cases: { description?: string; kind: KemKindName; hex?: string; armored?: string; error: string }[];
}

interface InvalidReport {
  file: string;
  total: number;
  matched: number;
  failures: Failure[];
}

function isInvalidFile(x: unknown): x is InvalidFile {
  const o = x as Partial<InvalidFile> | null;
  return typeof o === 'object' && o !== null && Array.isArray(o.cases);
}

/** Every case must be rejected by the strict decoders with exactly its error code. */
function checkInvalid(name: string, data: InvalidFile): InvalidReport {
  const report: InvalidReport = { file: name, total: data.cases.length, matched: 0, failures: [] };
  data.cases.forEach((c, index) => {
    let got = 'no error';
    try {
      const bytes = typeof c.armored === 'string' ? dearmor(c.armored).encoded : hexToBytes('hex', c.hex ?? '');
      decodeObject(bytes, c.kind);
    } catch (error) {
      got = error instanceof HybridKemError ? error.code : describeError(error);
    }
    if (got === c.error) report.matched++;
    else report.failures.push({ index, error: `${c.description ?? 'case'}: expected ${c.error}, got ${got}` });
  });
  return report;
}

function isVectorFile(x: unknown): x is VectorFile {
  const o = x as Partial<VectorFile> | null;
  return typeof o === 'object' && o !== null && typeof o.suite === 'string' && Array.isArray(o.vectors);
}

/** The fields of one vector that the selected backend does not reproduce. */
function checkVector(kem: Kem, v: Vector): string[] {
  const suite = kem.suite;
  const bad: string[] = [];
  const same = (field: string, expected: unknown, actual: string): void => {
    if (typeof expected !== 'string' || expected.toLowerCase() !== actual) bad.push(field);
  };
  const seed = hexToBytes('seed', v.seed);
  const randomness = hexToBytes('randomness', v.randomness);
  if (suite.family === 'hybrid') {
    const expanded = createHash('shake256', { outputLength: 64 + suite.group.lengths.seed }).update(seed).digest();
    same('expandedSeed', v.expandedSeed, hex(expanded));
  } else if (v.expandedSeed !== undefined) {
    // §1.4: the single-algorithm suites use the seed as it is; their vectors have no expandedSeed.
    bad.push('expandedSeed');
  }

  const { publicKey, privateKey } = kem.keygen(seed);
  same('publicKey', v.publicKey, hex(publicKey));
  let ciphertext: Uint8Array;
  if (kem.backend.derandomizedEncapsulation === false) {
    // A backend that draws its own encapsulation randomness (openssl) cannot
    // reproduce the vector's ciphertext: its encapsulation to the vector's
    // public key must decapsulate (below, with the vector's key) to its secret,
    // and the encodings are checked on the vector's own ciphertext.
    const own = kem.encapsulate(publicKey);
    if (hex(kem.decapsulate(privateKey, own.ciphertext)) !== hex(own.sharedSecret)) bad.push('encapsulation round trip');
    ciphertext = hexToBytes('ciphertext', v.ciphertext);
    if (ciphertext.length !== suite.lengths.ciphertext) bad.push('ciphertext');
  } else {
    const e = kem.encapsulate(publicKey, randomness);
    ciphertext = e.ciphertext;
    same('ciphertext', v.ciphertext, hex(e.ciphertext));
    same('sharedSecret', v.sharedSecret, hex(e.sharedSecret));
  }
  // Decapsulate the published ciphertext, so a wrong encapsulation cannot hide a wrong decapsulation.
  const published = hexToBytes('ciphertext', v.ciphertext);
  if (published.length === suite.lengths.ciphertext) {
    same('sharedSecret (decapsulate)', v.sharedSecret, hex(kem.decapsulate(privateKey, published)));
  } else {
    bad.push('sharedSecret (decapsulate)');
  }

  if (bad.includes('ciphertext') && kem.backend.derandomizedEncapsulation === false) return bad;
  const encoded = {
    publicKey: encodePublicKey(suite, publicKey),
    privateKey: encodePrivateKey(suite, privateKey),
    ciphertext: encodeCiphertext(suite, ciphertext),
  };
  for (const k of ['publicKey', 'privateKey', 'ciphertext'] as const) {
    same(`encoded.${k}`, v.encoded?.[k], hex(encoded[k]));
    const text = armor(encoded[k]);
    if (v.armored?.[k] !== text) bad.push(`armored.${k}`);
  }
  same('keyId', v.keyId, keyId(encoded.publicKey));
  return bad;
}

function checkFile(name: string, data: VectorFile, kemFor: (s: Suite) => Kem): SuiteReport {
  const report: SuiteReport = { file: name, suite: data.suite, total: data.vectors.length, matched: 0, failures: [] };
  let kem: Kem;
  try {
    const suite = getSuite(data.suite);
    if (data.suiteId !== suite.id) throw new CliError(`suiteId ${data.suiteId} is not ${data.suite}'s id ${suite.id}`);
    kem = kemFor(suite);
  } catch (error) {
    report.error = describeError(error);
    return report;
  }
  data.vectors.forEach((v, index) => {
    try {
      const fields = checkVector(kem, v);
      if (fields.length === 0) report.matched++;
      else report.failures.push({ index, fields });
    } catch (error) {
      report.failures.push({ index, error: describeError(error) });
    }
  });
  return report;
}

export const vectors: Command = {
  spec: {
    name: 'vectors',
    summary: 'recompute the test vectors of spec/vectors with a backend',
    usage: ['hybridkem vectors --check [--dir DIR] [--json] [--backend NAME]'],
    description: [
      'Reads every <suite>.json in DIR (spec/WIRE-FORMAT.md §5; default: the copy bundled with',
      'this package), recomputes each vector with the selected backend (key from seed,',
      'encapsulation, decapsulation of the published ciphertext, wire encodings, armor, key id)',
      'and reports per suite how many match. Exit status 1 when any does not, or when DIR',
      'holds no vectors. invalid.json: every malformed object must be rejected with its error code.',
      'A backend that draws its own encapsulation randomness (openssl) is checked by key, by',
      'decapsulation of the published ciphertext and by a round trip of its own encapsulation.',
    ].join('\n'),
    options: {
      check: { type: 'boolean', description: 'check the vectors (the only mode so far)' },
      dir: { type: 'string', value: 'DIR', description: 'directory of vector files (default: bundled copy of spec/vectors)' },
    },
    examples: ['hybridkem vectors --check', 'hybridkem vectors --check --dir spec/vectors --backend noble'],
  },

  async run(args, ctx) {
    if (args.values.check !== true) throw new UsageError('vectors: nothing to do, pass --check');
    const dirOption = stringOption(args, 'dir');
    const dir = dirOption === undefined ? BUNDLED_DIR : resolve(dirOption);
    const hint =
      dirOption === undefined
        ? ' (this build bundled no spec/vectors; rebuild after generating them, or pass --dir)'
        : '';
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      throw new CliError(`no vectors: cannot read directory ${dir}${hint}`);
    }
    const files: [string, VectorFile][] = [];
    const invalidFiles: [string, InvalidFile][] = [];
    const skipped: string[] = [];
    for (const name of names) {
      let data: unknown;
      try {
        data = JSON.parse(await readFile(join(dir, name), 'utf8'));
      } catch (error) {
        throw new CliError(`${join(dir, name)}: not valid JSON: ${describeError(error)}`);
      }
      if (isVectorFile(data)) files.push([name, data]);
      else if (isInvalidFile(data)) invalidFiles.push([name, data]);
      else skipped.push(name);
    }
    if (files.length === 0) throw new CliError(`no vectors: no <suite>.json vector files in ${dir}${hint}`);

    const backend = await ctx.backend();
    const reports = files.map(([name, data]) => checkFile(name, data, (suite) => createKem(suite, backend)));
    const invalid = invalidFiles.map(([name, data]) => checkInvalid(name, data));
    const ok =
      reports.every((r) => !r.error && r.total > 0 && r.matched === r.total) &&
      invalid.every((r) => r.matched === r.total);

    if (args.common.json) {
      return { stdout: toJson({ ok, backend: backend.name, dir, suites: reports, invalid, skipped }), exitCode: ok ? 0 : 1 };
    }
    const width = Math.max(...reports.map((r) => r.suite.length));
    const lines = [`vectors in ${dir}, backend ${backend.name}:`];
    if (backend.derandomizedEncapsulation === false) {
      lines.push(`  (${backend.name} draws its own encapsulation randomness: encapsulation is checked by a round trip, not by the vectors' ciphertexts)`);
    }
    for (const r of reports) {
      const status = r.error ? `error: ${r.error}` : `${r.matched}/${r.total} match`;
      lines.push(`  ${r.suite.padEnd(width)}  ${status}`);
      for (const f of r.failures.slice(0, 10)) {
        lines.push(`    vector ${f.index}: ${f.error ?? `differs in ${f.fields!.join(', ')}`}`);
      }
      if (r.failures.length > 10) lines.push(`    … and ${r.failures.length - 10} more`);
    }
    for (const r of invalid) {
      lines.push(`  ${r.file}: ${r.matched}/${r.total} malformed objects rejected with the expected error`);
      for (const f of r.failures.slice(0, 10)) lines.push(`    case ${f.index}: ${f.error}`);
      if (r.failures.length > 10) lines.push(`    … and ${r.failures.length - 10} more`);
    }
    for (const s of skipped) lines.push(`  skipped ${s} (not a vector file)`);
    lines.push(ok ? 'all vectors match' : 'MISMATCH: some vectors do not match');
    return { stdout: `${lines.join('\n')}\n`, exitCode: ok ? 0 : 1 };
  },
};
