/**
 * The known answers every runtime test hands to its runtime, read once in
 * Node with core's own helpers (the same ones `runConformanceSuite` uses):
 * every spec/vectors/<suite>.json vector and every published known answer in
 * ../shared/vectors. Missing vector folders fail under CI=true.
 * @module
 */
import {
  inCI,
  listJson,
  publishedKnownAnswers,
  readJson,
  sharedVectorsDir,
  specKnownAnswers,
  specVectorsDir,
  type SpecVectorFile,
} from '@hybridkem/core/testing';
import type { Answer } from './run-vectors.js';

export interface VectorSet {
  answers: Answer[];
  /** Vectors per suite counted straight from the files, for the runtimes' summaries to match. */
  expectedBySuite: Record<string, number>;
}

export function loadVectors(): VectorSet {
  const answers: Answer[] = [];
  const expectedBySuite: Record<string, number> = {};
  const count = (suite: string, n: number): void => {
    expectedBySuite[suite] = (expectedBySuite[suite] ?? 0) + n;
  };

  const spec = specVectorsDir();
  if (!spec) throw new Error('spec/vectors not found');
  for (const f of listJson(spec).filter((name) => name !== 'invalid.json')) {
    const file = readJson<SpecVectorFile>(spec, f);
    count(file.suite, file.vectors.length);
    answers.push(...specKnownAnswers(file, f));
  }

  const shared = sharedVectorsDir();
  if (shared) {
    const published = publishedKnownAnswers(shared);
    for (const a of published) count(a.suite, 1);
    answers.push(...published);
  } else if (inCI) {
    throw new Error('../shared/vectors not found (CI=true)');
  }
  return { answers, expectedBySuite };
}
