/**
 * @hybridkem/noble/mlkem1024-p384: the noble backend of MLKEM1024-P384 alone. A bundle
 * that imports it carries MLKEM1024-P384's components and no other suite's.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { mlKem1024P384 } from '@hybridkem/noble/mlkem1024-p384';
 *     const kem = createKem('MLKEM1024-P384', mlKem1024P384);
 * @module
 */
import { cgSha3_256, MLKEM1024_P384, type Backend } from '@hybridkem/core';
import { suiteBackend } from '../info.js';
import { mlKem1024 } from '../primitives/ml-kem.js';
import { p384Group } from '../primitives/nist.js';

/** MLKEM1024-P384 on noble; `suites` lists its id alone. Not constant time: see the README's security notes. */
export const mlKem1024P384: Backend = /* @__PURE__ */ suiteBackend(MLKEM1024_P384, mlKem1024, p384Group, cgSha3_256);
