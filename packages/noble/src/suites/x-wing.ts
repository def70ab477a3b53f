/**
 * @hybridkem/noble/x-wing: the noble backend of X-Wing alone. A bundle
 * that imports it carries X-Wing's components and no other suite's.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { xWing } from '@hybridkem/noble/x-wing';
 *     const kem = createKem('X-Wing', xWing);
 * @module
 */
import { cgSha3_256, XWING, type Backend } from '@hybridkem/core';
import { suiteBackend } from '../info.js';
import { mlKem768 } from '../primitives/ml-kem.js';
import { x25519Group } from '../primitives/x25519.js';

/** X-Wing on noble; `suites` lists its id alone. Not constant time: see the README's security notes. */
export const xWing: Backend = /* @__PURE__ */ suiteBackend(XWING, mlKem768, x25519Group, cgSha3_256);
