/**
 * @hybridkem/noble/ml-kem-1024: the noble backend of ML-KEM-1024 alone
 * (spec/WIRE-FORMAT.md §1.4), as @hybridkem/noble/ml-kem-768 for ML-KEM-768.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { mlKem1024Alone } from '@hybridkem/noble/ml-kem-1024';
 *     const kem = createKem('ML-KEM-1024', mlKem1024Alone);
 * @module
 */
import { ML_KEM_1024, type Backend } from '@hybridkem/core';
import { mlKemSuiteBackend } from '../info.js';
import { mlKem1024 } from '../primitives/ml-kem.js';

/** ML-KEM-1024 on noble; `suites` lists 0x0042 alone. Not constant time: see the README's security notes. */
export const mlKem1024Alone: Backend = /* @__PURE__ */ mlKemSuiteBackend(ML_KEM_1024, mlKem1024);
