/**
 * @hybridkem/core/testing: the conformance suite that every backend package
 * runs against itself under vitest, and the helpers it is built from.
 *
 *     import { runConformanceSuite } from '@hybridkem/core/testing';
 *     runConformanceSuite(backend, { peers: [otherBackend] });
 *
 * Node only (reads vector files).
 * @module
 */
import { describe } from 'vitest';
import type { Backend } from '../backend.js';
import type { Primitives } from '../compose/primitives.js';
import { runConformanceSuite as runHybridChecks, type ConformanceOptions } from './conformance.js';
import { inCI, sharedVectorsDir } from './vectors.js';
import { runWycheproofPrimitiveChecks, runWycheproofSuiteChecks } from './wycheproof.js';

export interface FullConformanceOptions extends ConformanceOptions {
  /** The backend's component primitives, when it has them, for component vectors. */
  primitives?: Primitives;
}

/** Every check a backend must pass. */
export function runConformanceSuite(backend: Backend, options: FullConformanceOptions = {}): void {
  runHybridChecks(backend, options);
  const dir = options.sharedVectors ?? sharedVectorsDir();
  describe(`backend ${backend.name}: Wycheproof`, () => {
    if (!dir) {
      if (inCI) throw new Error('../shared/vectors not found (CI=true)');
      return;
    }
    runWycheproofSuiteChecks(backend, dir);
    if (options.primitives) runWycheproofPrimitiveChecks(options.primitives, dir);
  });
}

export { expectCode, type ConformanceOptions } from './conformance.js';
export { publishedKnownAnswers, specKnownAnswers, type KnownAnswer } from './known-answers.js';
export { findUp, inCI, sharedVectorsDir, specVectorsDir, readJson, listJson, type SpecVectorFile } from './vectors.js';
export { markdownTableAfter } from './spec-tables.js';
export { childPids, processExists, spawnProcess, stopAllProcesses, stopProcess } from './processes.js';
export { resetBackendsForTesting } from '../registry.js';
