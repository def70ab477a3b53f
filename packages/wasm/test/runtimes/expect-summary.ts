/**
 * What every runtime's summary must say: the backend under test ran every
 * vector it was given (per suite, as many as the files hold) and a round
 * trip for every suite, with no failure.
 * @module
 */
import { SUITES } from '@hybridkem/core';
import { expect } from 'vitest';
import type { RuntimeSummary } from './run-vectors.js';
import { EXPECTED_BACKEND } from './tools.js';
import type { VectorSet } from './vectors.js';

export function expectSummary(summary: RuntimeSummary, vectors: VectorSet): void {
  expect(summary.failures, `${summary.runtime}: failures`).toEqual([]);
  expect(summary.backend.name, `${summary.runtime}: backend that ran`).toBe(EXPECTED_BACKEND);
  expect(vectors.answers.length).toBeGreaterThan(0);
  expect(summary.vectors.total).toBe(vectors.answers.length);
  expect(summary.vectors.bySuite).toEqual(vectors.expectedBySuite);
  expect(summary.vectors.passed).toBe(summary.vectors.total);
  expect(summary.roundTrips.total).toBe(SUITES.length);
  expect(summary.roundTrips.passed).toBe(SUITES.length);
}

/** The last line of a child's stdout, parsed; the whole output in the error when it is not JSON. */
export function parseSummary(stdout: string, stderr: string): RuntimeSummary {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as RuntimeSummary;
  } catch {
    throw new Error(`no JSON summary on stdout.\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-4000)}`);
  }
}
