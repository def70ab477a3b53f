/**
 * @hybridkem/noble/hpke-mlkem768-p256: the noble backend of HPKE-MLKEM768-P256 alone. A bundle
 * that imports it carries HPKE-MLKEM768-P256's components and no other suite's.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { hpkeMlKem768P256 } from '@hybridkem/noble/hpke-mlkem768-p256';
 *     const kem = createKem('HPKE-MLKEM768-P256', hpkeMlKem768P256);
 * @module
 */
import { cgSha3_256, HPKE_MLKEM768_P256, type Backend } from '@hybridkem/core';
import { suiteBackend } from '../info.js';
import { mlKem768 } from '../primitives/ml-kem.js';
import { p256Group } from '../primitives/nist.js';

/** HPKE-MLKEM768-P256 on noble; `suites` lists its id alone. Not constant time: see the README's security notes. */
export const hpkeMlKem768P256: Backend = /* @__PURE__ */ suiteBackend(HPKE_MLKEM768_P256, mlKem768, p256Group, cgSha3_256);
