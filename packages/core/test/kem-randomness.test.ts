import { describe, expect, it, vi } from 'vitest';
import { createKem, InvalidArgumentError, XWING } from '../src/index.js';
import { standInBackend } from './stand-in-backend.js';

// A stand-in backend that records what the facade passed to encapsulate.
function recordingBackend(derandomizedEncapsulation: boolean | undefined) {
  const encapsulate = vi.fn((..._args: unknown[]) => ({ ciphertext: new Uint8Array(XWING.lengths.ciphertext), sharedSecret: new Uint8Array(32) }));
  const backend = standInBackend({ ...(derandomizedEncapsulation === undefined ? {} : { derandomizedEncapsulation }), encapsulate });
  return { backend, encapsulate };
}

describe('createKem: encapsulation randomness', () => {
  const publicKey = new Uint8Array(XWING.lengths.publicKey);

  it('a derandomised backend (the default) always gets randomness: drawn by the facade, or the caller\'s', () => {
    for (const flag of [undefined, true]) {
      const { backend, encapsulate } = recordingBackend(flag);
      const kem = createKem('X-Wing', backend);
      kem.encapsulate(publicKey);
      expect(encapsulate.mock.calls[0]).toHaveLength(3);
      expect((encapsulate.mock.calls[0]![2] as Uint8Array).length).toBe(XWING.lengths.randomness);
      const mine = new Uint8Array(XWING.lengths.randomness).fill(7);
      kem.encapsulate(publicKey, mine);
      expect(encapsulate.mock.calls[1]![2]).toBe(mine);
    }
  });

  it('a backend that draws its own randomness gets none, and caller-chosen randomness is refused', () => {
    const { backend, encapsulate } = recordingBackend(false);
    const kem = createKem('X-Wing', backend);
    kem.encapsulate(publicKey);
    expect(encapsulate.mock.calls[0]).toHaveLength(2);
    expect(() => kem.encapsulate(publicKey, new Uint8Array(XWING.lengths.randomness))).toThrow(InvalidArgumentError);
    expect(() => kem.encapsulate(publicKey, new Uint8Array(XWING.lengths.randomness))).toThrow(/draws its own encapsulation randomness/);
    expect(encapsulate).toHaveBeenCalledTimes(1);
  });
});
