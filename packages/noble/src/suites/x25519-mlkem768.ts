/**
 * @hybridkem/noble/x25519-mlkem768: the noble backend of X25519-MLKEM768 alone. A bundle
 * that imports it carries X25519-MLKEM768's components and no other suite's.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { x25519MlKem768 } from '@hybridkem/noble/x25519-mlkem768';
 *     const kem = createKem('X25519-MLKEM768', x25519MlKem768);
 * @module
 */
import { kitchenSinkHkdfSha256, X25519_MLKEM768, type Backend } from '@hybridkem/core';
import { suiteBackend } from '../info.js';
import { mlKem768 } from '../primitives/ml-kem.js';
import { x25519Group } from '../primitives/x25519.js';

/** X25519-MLKEM768 on noble; `suites` lists its id alone. Not constant time: see the README's security notes. */
export const x25519MlKem768: Backend = /* @__PURE__ */ suiteBackend(X25519_MLKEM768, mlKem768, x25519Group, kitchenSinkHkdfSha256);
