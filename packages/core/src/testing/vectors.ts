/**
 * Finds and reads the vector files the conformance suite checks against:
 * the published ones in ../shared/vectors (beside the repository root) and
 * our own in spec/vectors.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Walks up from `start` looking for `relative`; returns the first match. */
export function findUp(relative: string, start: string = process.cwd()): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** ../shared/vectors, or $HYBRIDKEM_SHARED_VECTORS. */
export function sharedVectorsDir(start?: string): string | undefined {
  return process.env.HYBRIDKEM_SHARED_VECTORS ?? findUp(join('shared', 'vectors'), start);
}

/** The repository's spec/vectors. */
export function specVectorsDir(start?: string): string | undefined {
  return findUp(join('spec', 'vectors'), start);
}

export function readJson<T = unknown>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}

export function listJson(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
}

/** True when a missing input must fail the run rather than skip (CI=true). */
export const inCI = process.env.CI === 'true';

// Field layouts of the published files (see ../shared/vectors/README.md).
export interface XWingVector { seed: string; eseed: string; sk: string; pk: string; ct: string; ss: string }
export interface KitchenSinkVector { seed: string; randomness: string; sk: string; pk: string; ct: string; ss: string }
export interface ConcreteVector {
  seed: string;
  randomness: string;
  encapsulation_key: string;
  decapsulation_key: string;
  decapsulation_key_pq: string;
  decapsulation_key_t: string;
  ciphertext: string;
  shared_secret: string;
}
export interface HpkeVector { kem_id: number; ikmE: string; skRm: string; pkRm: string; enc: string; shared_secret: string }

export type { SpecVectorFile } from '../spec-vectors.js';
