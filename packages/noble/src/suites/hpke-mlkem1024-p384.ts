/**
 * @hybridkem/noble/hpke-mlkem1024-p384: the noble backend of HPKE-MLKEM1024-P384 alone. A bundle
 * that imports it carries HPKE-MLKEM1024-P384's components and no other suite's.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { hpkeMlKem1024P384 } from '@hybridkem/noble/hpke-mlkem1024-p384';
 *     const kem = createKem('HPKE-MLKEM1024-P384', hpkeMlKem1024P384);
 * @module
 */
import { cgSha3_256, HPKE_MLKEM1024_P384, type Backend } from '@hybridkem/core';
import { suiteBackend } from '../info.js';
import { mlKem1024 } from '../primitives/ml-kem.js';
import { p384Group } from '../primitives/nist.js';

/** HPKE-MLKEM1024-P384 on noble; `suites` lists its id alone. Not constant time: see the README's security notes. */
export const hpkeMlKem1024P384: Backend = /* @__PURE__ */ suiteBackend(HPKE_MLKEM1024_P384, mlKem1024, p384Group, cgSha3_256);
