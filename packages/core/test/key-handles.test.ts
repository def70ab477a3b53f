import { describe, expect, it, vi } from 'vitest';
import { createKem, InvalidArgumentError, isPrivateKeyHandle, XWING, type ExpandedPrivateKey } from '../src/index.js';
import { standInBackend } from './stand-in-backend.js';

// Stand-in backends that record which decapsulation the facade called.
function standIn(withExpanded: boolean) {
  const destroy = vi.fn();
  const calls: string[] = [];
  const backend = standInBackend({
    decapsulate: (_s: unknown, seed: Uint8Array) => {
      calls.push(`seed:${seed[0]}`);
      return new Uint8Array(32);
    },
    ...(withExpanded
      ? {
          expandPrivateKey: (_s: unknown, seed: Uint8Array): ExpandedPrivateKey => {
            calls.push(`expand:${seed[0]}`);
            return { destroy };
          },
          decapsulateExpanded: () => {
            calls.push('expanded');
            return new Uint8Array(32);
          },
        }
      : {}),
  });
  return { backend, calls, destroy };
}

describe('createKem: private-key handles', () => {
  const ct = new Uint8Array(XWING.lengths.ciphertext);

  it('a backend with expanded keys: expands once, decapsulates with the expanded key, destroys it once', () => {
    const { backend, calls, destroy } = standIn(true);
    const kem = createKem('X-Wing', backend);
    const handle = kem.importPrivateKey(new Uint8Array(32).fill(5));
    expect(isPrivateKeyHandle(handle)).toBe(true);
    kem.decapsulate(handle, ct);
    kem.decapsulate(handle, ct);
    expect(calls).toEqual(['expand:5', 'expanded', 'expanded']);
    handle.destroy();
    handle.destroy();
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(() => kem.decapsulate(handle, ct)).toThrow(InvalidArgumentError);
    expect(() => kem.decapsulate(handle, ct)).toThrow('privateKey: the key handle was destroyed');
  });

  it('a backend without them: the handle holds a copy of the seed, wiped on destroy', () => {
    const { backend, calls } = standIn(false);
    const kem = createKem('X-Wing', backend);
    const seed = new Uint8Array(32).fill(9);
    const handle = kem.importPrivateKey(seed);
    seed.fill(0);
    kem.decapsulate(handle, ct);
    expect(calls).toEqual(['seed:9']);
    handle.destroy();
    expect(handle.destroyed).toBe(true);
    expect(() => kem.decapsulate(handle, ct)).toThrow(InvalidArgumentError);
  });

  it('a handle works only with the KEM that made it; nothing else passes for one', () => {
    const { backend } = standIn(true);
    const a = createKem('X-Wing', backend);
    const handle = a.importPrivateKey(new Uint8Array(32));
    expect(() => createKem('X-Wing', backend).decapsulate(handle, ct)).toThrow('the handle belongs to another KEM');
    const fake = { ...handle };
    expect(isPrivateKeyHandle(fake)).toBe(false);
    expect(() => a.decapsulate(fake as never, ct)).toThrow(InvalidArgumentError);
    expect(Object.isFrozen(handle)).toBe(true);
    expect(Object.keys(JSON.parse(JSON.stringify(handle)) as object)).toEqual(['suite', 'backend', 'destroyed']);
  });
});
