/**
 * @hybridkem/noble: the pure-JavaScript backend. Core composes every suite
 * from noble's ML-KEM and curves; it runs wherever JavaScript does.
 *
 * `backend` implements every suite and so carries every suite's code. A page
 * that uses one suite imports that suite's backend from its own entry point
 * instead (`import { xWing } from '@hybridkem/noble/x-wing'`), and the
 * composite-signature primitives live in `@hybridkem/noble/signing`.
 * @module
 */
import { composeBackend, type Backend } from '@hybridkem/core';
import { nobleInfo } from './info.js';
import { noblePrimitives } from './primitives.js';

/** The noble backend of every suite. Not constant time: see the README's security notes. */
export const backend: Backend = /* @__PURE__ */ composeBackend(nobleInfo(), noblePrimitives);
// Kept here as well: @hybridkem/signing's getSignatureBackend() looks for
// `signatureBackend` in each backend package's main entry.
export { signatureBackend } from './signing.js';
