/**
 * @hybridkem/noble/ml-kem-768: the noble backend of ML-KEM-768 alone
 * (spec/WIRE-FORMAT.md §1.4): @noble/post-quantum's ML-KEM-768, keys from
 * the 64-byte seed d ‖ z, derandomised encapsulation with m.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { mlKem768Alone } from '@hybridkem/noble/ml-kem-768';
 *     const kem = createKem('ML-KEM-768', mlKem768Alone);
 * @module
 */
import { ML_KEM_768, type Backend } from '@hybridkem/core';
import { mlKemSuiteBackend } from '../info.js';
import { mlKem768 } from '../primitives/ml-kem.js';

/** ML-KEM-768 on noble; `suites` lists 0x0041 alone. Not constant time: see the README's security notes. */
export const mlKem768Alone: Backend = /* @__PURE__ */ mlKemSuiteBackend(ML_KEM_768, mlKem768);
