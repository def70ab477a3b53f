/**
 * The check each runtime runs inside itself (Deno, Bun, Chromium, workerd):
 * every known answer handed to it (seed -> public key, randomness ->
 * ciphertext and shared secret, decapsulation) and a fresh round trip per
 * suite, through core's KEM facade over the backend under test. Plain
 * ECMAScript with no host API, so one file serves every runtime; the vectors
 * are read in Node by core's helpers (vectors.ts) and passed in.
 * @module
 */
import type { Backend } from '@hybridkem/core';
import { bytesToHex, createKem, getSuite, hexToBytes, SUITES } from '@hybridkem/core';

/** One known answer, as core's `KnownAnswer` (@hybridkem/core/testing). */
export interface Answer {
  source: string;
  suite: string;
  seed: string;
  randomness: string;
  publicKey: string;
  ciphertext: string;
  sharedSecret: string;
}

export interface RuntimeSummary {
  runtime: string;
  backend: { name: string; version: string; implementation: string };
  vectors: { total: number; passed: number; bySuite: Record<string, number> };
  roundTrips: { total: number; passed: number };
  /** The first failures, by source and step; never secret material beyond the public vectors. */
  failures: string[];
}

const MAX_REPORTED = 20;

export function runVectors(backend: Backend, answers: readonly Answer[], runtime: string): RuntimeSummary {
  const failures: string[] = [];
  const fail = (what: string): void => {
    if (failures.length < MAX_REPORTED) failures.push(what);
  };
  const bySuite: Record<string, number> = {};
  let passed = 0;

  for (const v of answers) {
    bySuite[v.suite] = (bySuite[v.suite] ?? 0) + 1;
    try {
      const kem = createKem(getSuite(v.suite), backend);
      const hex = (field: string, value: string): Uint8Array => hexToBytes(field, value);
      const steps: [string, string, string][] = [];
      steps.push(['public key', bytesToHex(kem.getPublicKey(hex('seed', v.seed))), v.publicKey]);
      const e = kem.encapsulate(hex('publicKey', v.publicKey), hex('randomness', v.randomness));
      steps.push(['ciphertext', bytesToHex(e.ciphertext), v.ciphertext]);
      steps.push(['encapsulated secret', bytesToHex(e.sharedSecret), v.sharedSecret]);
      steps.push(['decapsulated secret', bytesToHex(kem.decapsulate(hex('seed', v.seed), hex('ciphertext', v.ciphertext))), v.sharedSecret]);
      const wrong = steps.filter(([, got, want]) => got !== want.toLowerCase()).map(([step]) => step);
      if (wrong.length === 0) passed++;
      else fail(`${v.source}: ${wrong.join(', ')} differ`);
    } catch (err) {
      fail(`${v.source}: threw ${describe(err)}`);
    }
  }

  let roundTrips = 0;
  const suites = SUITES.filter((s) => backend.suites.includes(s.id));
  for (const suite of suites) {
    try {
      const kem = createKem(suite, backend);
      const { publicKey, privateKey } = kem.keygen();
      const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
      const again = kem.decapsulate(privateKey, ciphertext);
      if (bytesToHex(again) === bytesToHex(sharedSecret) && sharedSecret.length === suite.lengths.sharedSecret) roundTrips++;
      else fail(`${suite.name}: round trip gave a different secret`);
    } catch (err) {
      fail(`${suite.name}: round trip threw ${describe(err)}`);
    }
  }

  return {
    runtime,
    backend: { name: backend.name, version: backend.version, implementation: backend.implementation },
    vectors: { total: answers.length, passed, bySuite },
    roundTrips: { total: suites.length, passed: roundTrips },
    failures,
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}${'code' in err ? ` ${String((err as { code: unknown }).code)}` : ''}: ${err.message}`;
  return String(err);
}
