/**
 * @hybridkem/noble: the pure-JavaScript backend. Core composes every suite
 * from noble's ML-KEM and curves; it runs wherever JavaScript does.
 * @module
 */
import { composeBackend, type Backend } from '@hybridkem/core';
import { noblePrimitives } from './primitives.js';
import { BACKEND_VERSION, NOBLE_POST_QUANTUM_VERSION, NOBLE_CURVES_VERSION } from './version.js';

/** The noble backend. Not constant time: see the README's security notes. */
export const backend: Backend = composeBackend(
  {
    name: 'noble',
    version: BACKEND_VERSION,
    implementation: `@noble/post-quantum ${NOBLE_POST_QUANTUM_VERSION}, @noble/curves ${NOBLE_CURVES_VERSION} (pure JavaScript)`,
    constantTime: false,
  },
  noblePrimitives,
);
export { signatureBackend } from './signing.js';
