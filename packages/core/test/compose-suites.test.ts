// composeSuites: a backend of some suites takes its suite list and combiner
// code from the caller and refuses a selection that does not fit core's table.
// The arithmetic itself is checked by every backend's conformance suite.
import { describe, expect, it } from 'vitest';
import {
  cgSha3_256,
  composeSuites,
  createKem,
  HybridKemError,
  kitchenSinkHkdfSha256,
  kitchenSinkHkdfSha512,
  MLKEM768_P256,
  X25519_MLKEM768,
  XWING,
  type GroupParams,
  type MlKemParams,
  type Primitives,
  type Suite,
} from '../src/index.js';

const INFO = { name: 'noble', version: '0.0.0', implementation: 'stub', constantTime: false } as const;

// Stub components: composeSuites only stores them; none of these run.
function recordingPrimitives(asked: string[]): Primitives {
  const fail = () => {
    throw new Error('not called');
  };
  return {
    mlkem: (p: MlKemParams) => (asked.push(p.name), { keygen: fail, encapsulate: fail, decapsulate: fail }),
    group: (p: GroupParams) => (asked.push(p.name), { isValidScalar: fail, publicKey: fail, sharedSecret: fail }),
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof HybridKemError ? e.code : `not a HybridKemError: ${String(e)}`;
  }
  return undefined;
}

describe('composeSuites', () => {
  it('implements the selected suites only and asks for their components only', () => {
    const asked: string[] = [];
    const backend = composeSuites(INFO, recordingPrimitives(asked), { suites: [XWING], combiners: [cgSha3_256] });
    expect(backend.suites).toEqual([0x647a]);
    expect(asked).toEqual(['ML-KEM-768', 'X25519']);
    expect(codeOf(() => createKem('X25519-MLKEM768', backend))).toBe('ERR_SUITE_NOT_SUPPORTED');
    expect(codeOf(() => backend.derivePublicKey(X25519_MLKEM768, new Uint8Array(32)))).toBe('ERR_SUITE_NOT_SUPPORTED');
    expect(createKem('X-Wing', backend).suite).toBe(XWING);
  });

  it('takes several suites that share a combiner', () => {
    const asked: string[] = [];
    const backend = composeSuites(INFO, recordingPrimitives(asked), { suites: [XWING, MLKEM768_P256], combiners: [cgSha3_256] });
    expect(backend.suites).toEqual([0x647a, 0xff03]);
    expect(asked).toEqual(['ML-KEM-768', 'X25519', 'ML-KEM-768', 'P-256']);
  });

  it('refuses a suite whose combiner is not selected', () => {
    const compose = (combiners: typeof cgSha3_256[]) => () => composeSuites(INFO, recordingPrimitives([]), { suites: [X25519_MLKEM768], combiners });
    expect(codeOf(compose([]))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(compose([cgSha3_256, kitchenSinkHkdfSha512]))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(compose([kitchenSinkHkdfSha256]))).toBeUndefined();
  });

  it('refuses a suite that is not one of core’s', () => {
    const copy: Suite = { ...XWING };
    expect(codeOf(() => composeSuites(INFO, recordingPrimitives([]), { suites: [copy], combiners: [cgSha3_256] }))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('names each combiner as the suites do', () => {
    expect([cgSha3_256.name, kitchenSinkHkdfSha256.name, kitchenSinkHkdfSha512.name]).toEqual([
      'cg-sha3-256',
      'kitchensink-hkdf-sha256',
      'kitchensink-hkdf-sha512',
    ]);
  });
});
