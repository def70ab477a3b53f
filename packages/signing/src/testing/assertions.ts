/**
 * Assertions on composite verdicts and typed errors.
 * @module
 */
import { HybridKemError, type ErrorCode } from '@hybridkem/core';
import { expect } from 'vitest';
import type { VerifyResult } from '../signer.js';
import type { SignatureSuite } from '../suites.js';

/**
 * Asserts each component's verdict and the overall one (valid only when both
 * are); a component that fails must say why.
 */
export function expectVerdicts(result: VerifyResult, suite: SignatureSuite, want: { mldsa: boolean; eddsa: boolean }, what = 'verify'): void {
  expect(result.mldsa.algorithm, `${what}: ML-DSA algorithm`).toBe(suite.mldsa.name);
  expect(result.eddsa.algorithm, `${what}: EdDSA algorithm`).toBe(suite.eddsa.name);
  expect(result.mldsa.valid, `${what}: ML-DSA verdict`).toBe(want.mldsa);
  expect(result.eddsa.valid, `${what}: EdDSA verdict`).toBe(want.eddsa);
  expect(result.valid, `${what}: overall verdict`).toBe(want.mldsa && want.eddsa);
  for (const verdict of [result.mldsa, result.eddsa]) {
    if (verdict.valid) expect(verdict.reason, `${what}: ${verdict.algorithm} is valid and needs no reason`).toBeUndefined();
    else expect(verdict.reason, `${what}: ${verdict.algorithm} says why it failed`).toMatch(/\S/);
  }
}

export const expectValid = (result: VerifyResult, suite: SignatureSuite, what?: string) => expectVerdicts(result, suite, { mldsa: true, eddsa: true }, what);
export const expectBothInvalid = (result: VerifyResult, suite: SignatureSuite, what?: string) =>
  expectVerdicts(result, suite, { mldsa: false, eddsa: false }, what);

/** Asserts that the promise rejects with a HybridKemError with `code`. */
export async function expectCodeAsync(promise: Promise<unknown>, code: ErrorCode): Promise<HybridKemError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(HybridKemError);
  expect((caught as HybridKemError).code).toBe(code);
  return caught as HybridKemError;
}

/** What a call gave: its value, or `throws: <message>`. */
export function outcome<T>(fn: () => T): T | `throws: ${string}` {
  try {
    return fn();
  } catch (e) {
    return `throws: ${e instanceof Error ? e.message : String(e)}`;
  }
}
