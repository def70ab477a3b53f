// Private-key handles on the native backend: the facade's handle reaches the
// addon's expanded key (importPrivateKey once, decapsulateWithKey per call,
// never the seed path), destroy() frees the native key at once, and a
// destroyed key is refused with typed errors at every layer.
import { createKem, getSuite, InvalidArgumentError, SUITES } from '@hybridkem/core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ending, runNode } from './child.js';
import { requireNative } from './load.js';

const native = requireNative();

if (native) {
  const { backend } = native;
  const { addon, addonFile } = await import('../src/addon.js');

  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('native key handles', () => {
    it('a handle decapsulates through the addon key: one import, no seed decapsulation', () => {
      const importKey = vi.spyOn(addon, 'importPrivateKey');
      const withKey = vi.spyOn(addon, 'decapsulateWithKey');
      const withSeed = vi.spyOn(addon, 'decapsulate');
      const destroyKey = vi.spyOn(addon, 'destroyPrivateKey');
      for (const suite of SUITES.filter((s) => backend.suites.includes(s.id))) {
        importKey.mockClear();
        withKey.mockClear();
        withSeed.mockClear();
        destroyKey.mockClear();
        const kem = createKem(suite, backend);
        const { publicKey, privateKey } = kem.keygen();
        const handle = kem.importPrivateKey(privateKey);
        expect(handle.backend).toBe('native');
        for (let i = 0; i < 3; i++) {
          const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
          expect(kem.decapsulate(handle, ciphertext), suite.name).toEqual(sharedSecret);
        }
        expect(importKey).toHaveBeenCalledTimes(1);
        expect(withKey).toHaveBeenCalledTimes(3);
        expect(withSeed).not.toHaveBeenCalled();
        const live = addon.liveKeys();
        handle.destroy();
        handle.destroy();
        expect(destroyKey).toHaveBeenCalledTimes(1);
        expect(addon.liveKeys()).toBe(live - 1);
      }
    });

    it('a destroyed key: InvalidArgumentError through the facade and the backend, NULL_POINTER from the addon', () => {
      const suite = getSuite('X-Wing');
      const kem = createKem(suite, backend);
      const { publicKey, privateKey } = kem.keygen();
      const { ciphertext } = kem.encapsulate(publicKey);
      const handle = kem.importPrivateKey(privateKey);
      handle.destroy();
      expect(() => kem.decapsulate(handle, ciphertext)).toThrow(InvalidArgumentError);

      const token = backend.expandPrivateKey!(suite, privateKey);
      token.destroy();
      expect(() => backend.decapsulateExpanded!(suite, token, ciphertext)).toThrow(InvalidArgumentError);
      expect(() => backend.decapsulateExpanded!(suite, { destroy() {} }, ciphertext)).toThrow(InvalidArgumentError);
      const other = backend.expandPrivateKey!(suite, privateKey);
      expect(() => backend.decapsulateExpanded!(getSuite('X25519-MLKEM768'), other, ciphertext)).toThrow(InvalidArgumentError);
      other.destroy();

      // The raw addon: a destroyed key reaches the core as NULL, never as a dangling pointer.
      const key = addon.importPrivateKey(suite.id, privateKey);
      if (typeof key === 'number') throw new Error(`import failed: ${addon.statusName(key)}`);
      const ss = new Uint8Array(32);
      expect(addon.decapsulateWithKey(key, ciphertext, ss)).toBe(0);
      expect(ss).toEqual(kem.decapsulate(privateKey, ciphertext));
      addon.destroyPrivateKey(key);
      addon.destroyPrivateKey(key);
      expect(addon.decapsulateWithKey(key, ciphertext, ss)).toBe(1);
      expect(ss).toEqual(new Uint8Array(32));
    });

    it('the addon refuses anything but its own keys, and bad seeds with a status', () => {
      const suite = getSuite('X-Wing');
      const ct = new Uint8Array(suite.lengths.ciphertext);
      const ss = new Uint8Array(32);
      const fake = [undefined, null, {}, new Uint8Array(8), 1] as unknown as never[];
      for (const k of fake) expect(() => addon.decapsulateWithKey(k, ct, ss)).toThrow(TypeError);
      expect(() => addon.destroyPrivateKey({} as never)).toThrow(TypeError);
      expect(addon.importPrivateKey(suite.id, new Uint8Array(31))).toBe(3);
      expect(addon.importPrivateKey(0x1234, new Uint8Array(32))).toBe(2);
    });

    it('keys never destroyed are freed by the finalizer once collected', async () => {
      const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', addonFile);
      const script = `
        const addon = require(${JSON.stringify(file)});
        const seed = new Uint8Array(32).fill(7);
        for (let i = 0; i < 200; i++) if (typeof addon.importPrivateKey(0x647a, seed) === 'number') throw new Error('import');
        const before = addon.liveKeys();
        (async () => {
          for (let i = 0; i < 50 && addon.liveKeys() > 0; i++) {
            globalThis.gc();
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          console.log(JSON.stringify({ before, after: addon.liveKeys() }));
        })();`;
      const r = await runNode(['--expose-gc', '-e', script], 60_000);
      expect(ending(r), r.stderr).toBe('exit 0');
      const { before, after } = JSON.parse(r.stdout.trim()) as { before: number; after: number };
      expect(before).toBe(200);
      expect(after).toBe(0);
    });

    it('wrong lengths through the facade and the backend are typed errors', () => {
      const suite = getSuite('X-Wing');
      const kem = createKem(suite, backend);
      const handle = kem.importPrivateKey(kem.keygen().privateKey);
      expect(() => kem.decapsulate(handle, new Uint8Array(10))).toThrow(/ciphertext/);
      expect(() => backend.expandPrivateKey!(suite, new Uint8Array(31))).toThrow(/seed/);
      handle.destroy();
    });
  });
}
