/**
 * @hybridkem/noble/x25519-mlkem1024: the noble backend of X25519-MLKEM1024 alone. A bundle
 * that imports it carries X25519-MLKEM1024's components and no other suite's.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { x25519MlKem1024 } from '@hybridkem/noble/x25519-mlkem1024';
 *     const kem = createKem('X25519-MLKEM1024', x25519MlKem1024);
 * @module
 */
import { kitchenSinkHkdfSha512, X25519_MLKEM1024, type Backend } from '@hybridkem/core';
import { suiteBackend } from '../info.js';
import { mlKem1024 } from '../primitives/ml-kem.js';
import { x25519Group } from '../primitives/x25519.js';

/** X25519-MLKEM1024 on noble; `suites` lists its id alone. Not constant time: see the README's security notes. */
export const x25519MlKem1024: Backend = /* @__PURE__ */ suiteBackend(X25519_MLKEM1024, mlKem1024, x25519Group, kitchenSinkHkdfSha512);
