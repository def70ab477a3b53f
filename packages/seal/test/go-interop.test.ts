// Cross-implementation check of sealed messages (spec/WIRE-FORMAT.md §7):
// messages sealed here open with the independent Go implementation
// (interop/go, written from the spec only: Go's crypto/hpke for the
// registered KEMs, its own RFC 9180 key schedule for 0xff01-0xff04) and the
// reverse, for every suite and both AEADs. The Go CLI `hkseal` is built once
// into a temp dir.
// Without `go` on PATH the suite is skipped, except under CI=true, where it fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKem, HybridKemError } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHpkeSuite, ERR_AUTHENTICATION, open, seal, SEALING_SUITES, type HpkeAeadName, type HpkeKemName } from '../src/index.js';
import { pattern, utf8 } from './helpers.js';

const GO_DIR = fileURLToPath(new URL('../../../interop/go', import.meta.url));
const goAvailable = (() => {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
})();
const inCI = process.env.CI === 'true';

const AEADS: { name: HpkeAeadName; go: string }[] = [
  { name: 'ChaCha20-Poly1305', go: 'chacha20poly1305' },
  { name: 'AES-256-GCM', go: 'aes256gcm' },
];
const SIZES = [0, 1, 65536, 200000];
/**
 * The §7.1 KEMs besides X-Wing (every other hybrid suite of core's table): hkseal
 * takes the §1 name as -kem; Nenc and the id are core's, which Go checks
 * against its own table (the lengths of what it writes, the header it writes).
 */
const PQ_KEMS: { name: HpkeKemName; go: string; enc: number; id: number }[] = SEALING_SUITES.filter((s) => s.name !== 'X-Wing').map((s) => ({
  name: s.name,
  go: s.name,
  enc: s.lengths.ciphertext,
  id: s.id,
}));
/** The KEM hkseal picks from a public key's length alone (the registered one where two share it). */
const GO_KEM_BY_LENGTH: Record<number, number> = { 1216: 0x647a, 1249: 0x0050, 1665: 0x0051, 1600: 0xff02 };
const PQ_SIZES = [0, 70000];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

if (!goAvailable && inCI) {
  describe('Go interop (sealed messages)', () => {
    it('needs the Go toolchain', () => {
      throw new Error('`go` is not on PATH, and CI=true requires the Go interop check (interop/go, cmd/hkseal)');
    });
  });
} else if (!goAvailable) {
  console.warn('go-interop.test.ts: skipped — `go` is not on PATH (install Go 1.26+ to run the interop/go cross-check; required when CI=true)');
  describe.skip('Go interop (sealed messages) — skipped: `go` not on PATH', () => {
    it('needs the Go toolchain', () => undefined);
  });
} else {
  describe('Go interop (sealed messages, WIRE-FORMAT.md §7)', () => {
    let dir = '';
    let hkseal = '';

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hkseal-'));
      hkseal = join(dir, process.platform === 'win32' ? 'hkseal.exe' : 'hkseal');
      // GOPROXY=off: the module is fetched in setup (`go mod download`, .ci/run), never during a test.
      execFileSync('go', ['build', '-o', hkseal, './cmd/hkseal'], {
        cwd: GO_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GOPROXY: 'off' },
      });
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Runs hkseal; resolves stdout, or returns the status and the one-line stderr. */
    function go(args: string[], input: Uint8Array): { status: number | null; stdout: Uint8Array; stderr: string } {
      const r = spawnSync(hkseal, args, { input, maxBuffer: 64 * 1024 * 1024 });
      if (r.error) throw r.error;
      return { status: r.status, stdout: new Uint8Array(r.stdout), stderr: r.stderr.toString('utf8') };
    }
    function goOk(args: string[], input: Uint8Array): Uint8Array {
      const r = go(args, input);
      expect(r.stderr, `hkseal ${args[0]} stderr`).toBe('');
      expect(r.status).toBe(0);
      return r.stdout;
    }
    function goFails(args: string[], input: Uint8Array): string {
      const r = go(args, input);
      expect(r.status, 'hkseal must exit 1').toBe(1);
      expect(r.stdout.length, 'no plaintext on failure').toBe(0);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      return lines[0]!;
    }

    const kem = createKem('X-Wing', backend);
    const { publicKey, privateKey } = kem.keygen(pattern(32, 0x5eed));
    const info = utf8('go-interop info');
    const aad = utf8('go-interop aad');
    const goInfoAad = ['-info', hex(info), '-aad', hex(aad)];

    for (const { name, go: goAead } of AEADS) {
      const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: name, backend });

      for (const size of SIZES) {
        it(`${name}, ${size} bytes: sealed here, opened by Go`, async () => {
          const plaintext = pattern(size, size + 1);
          const sealed = await seal(suite, publicKey, plaintext, { info, aad });
          const opened = goOk(['open', '-seed', hex(privateKey), '-aead', goAead, ...goInfoAad], sealed);
          expect(hex(opened)).toBe(hex(plaintext));
        });

        it(`${name}, ${size} bytes: sealed by Go, opened here`, async () => {
          const plaintext = pattern(size, size + 2);
          const sealed = goOk(['seal', '-pub', hex(publicKey), '-aead', goAead, ...goInfoAad], plaintext);
          // §7.2 total length with e = 16: 26 + 1120 + L + 16·(n + 1)
          const chunks = size === 0 ? 1 : Math.ceil(size / 65536);
          expect(sealed.length).toBe(26 + 1120 + size + 16 * chunks);
          const opened = await open(suite, privateKey, sealed, { info, aad });
          expect(hex(opened)).toBe(hex(plaintext));
        });
      }

      it(`${name}: a Go message with another aad fails here with ERR_AUTHENTICATION`, async () => {
        const sealed = goOk(['seal', '-pub', hex(publicKey), '-aead', goAead, '-info', hex(info), '-aad', hex(utf8('other aad'))], pattern(70000, 3));
        let caught: unknown;
        try {
          await open(suite, privateKey, sealed, { info, aad });
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(HybridKemError);
        expect((caught as HybridKemError).code).toBe(ERR_AUTHENTICATION);
      });

      it(`${name}: Go refuses a message sealed here and then tampered`, async () => {
        const sealed = await seal(suite, publicKey, pattern(200000, 4), { info, aad });
        const body = 26 + 1120;
        const S = 65536 + 16;
        const flipped = (i: number) => {
          const b = sealed.slice();
          b[i] = b[i]! ^ 0x01;
          return b;
        };
        const args = ['open', '-seed', hex(privateKey), '-aead', goAead, ...goInfoAad];
        expect(goFails(args, flipped(body + 100))).toContain('ERR_AUTHENTICATION'); // chunk 0
        expect(goFails(args, flipped(sealed.length - 1))).toContain('ERR_AUTHENTICATION'); // final tag
        expect(goFails(args, flipped(30))).toContain('ERR_AUTHENTICATION'); // enc (ML-KEM part)
        expect(goFails(args, flipped(24))).toContain('ERR_AUTHENTICATION'); // chunk size exponent 16 -> 17
        expect(goFails(args, flipped(12))).toContain('ERR_INVALID_ARGUMENT'); // key id
        expect(goFails(args, sealed.subarray(0, body + 2 * S))).toContain('ERR_AUTHENTICATION'); // cut at a chunk boundary
        const appended = new Uint8Array(sealed.length + 1);
        appended.set(sealed);
        expect(goFails(args, appended)).toContain('ERR_AUTHENTICATION'); // appended byte
        // and the untouched message does open
        expect(goOk(args, sealed).length).toBe(200000);
      });
    }

    for (const { name: kemName, go: goKem, enc, id: kemId } of PQ_KEMS) {
      const pqKem = createKem(kemName, backend);
      const keys = pqKem.keygen(pattern(32, 0x5eed + enc));

      for (const { name, go: goAead } of AEADS) {
        const suite = createHpkeSuite({ kem: kemName, kdf: 'HKDF-SHA256', aead: name, backend });

        for (const size of PQ_SIZES) {
          it(`${kemName}, ${name}, ${size} bytes: sealed here, opened by Go`, async () => {
            const plaintext = pattern(size, size + 5);
            const sealed = await seal(suite, keys.publicKey, plaintext, { info, aad });
            // KEM taken from the header, and pinned with -kem
            const opened = goOk(['open', '-seed', hex(keys.privateKey), '-aead', goAead, ...goInfoAad], sealed);
            expect(hex(opened)).toBe(hex(plaintext));
            const pinned = goOk(['open', '-seed', hex(keys.privateKey), '-kem', goKem, '-aead', goAead, ...goInfoAad], sealed);
            expect(hex(pinned)).toBe(hex(plaintext));
          });

          it(`${kemName}, ${name}, ${size} bytes: sealed by Go, opened here`, async () => {
            const plaintext = pattern(size, size + 6);
            const sealed = goOk(['seal', '-pub', hex(keys.publicKey), '-kem', goKem, '-aead', goAead, ...goInfoAad], plaintext);
            const chunks = size === 0 ? 1 : Math.ceil(size / 65536);
            expect(sealed.length).toBe(26 + enc + size + 16 * chunks);
            expect((sealed[2]! << 8) | sealed[3]!).toBe(kemId);
            const opened = await open(suite, keys.privateKey, sealed, { info, aad });
            expect(hex(opened)).toBe(hex(plaintext));
            // Without -kem, Go picks the KEM from the public key's length alone.
            const inferred = goOk(['seal', '-pub', hex(keys.publicKey), '-aead', goAead, ...goInfoAad], plaintext);
            const inferredKem = GO_KEM_BY_LENGTH[keys.publicKey.length];
            expect((inferred[2]! << 8) | inferred[3]!).toBe(inferredKem);
            if (inferredKem === kemId) {
              expect(hex(inferred.subarray(0, 26))).toBe(hex(sealed.subarray(0, 26)));
              expect(hex(await open(suite, keys.privateKey, inferred, { info, aad }))).toBe(hex(plaintext));
            } else {
              // sealed for the registered KEM of the same length: this suite refuses it before decrypting
              const e = await open(suite, keys.privateKey, inferred, { info, aad }).catch((x: unknown) => x);
              expect(e).toBeInstanceOf(HybridKemError);
              expect((e as HybridKemError).code).toBe('ERR_INVALID_ARGUMENT');
              expect((e as Error).message).toMatch(/^kem: /);
            }
          });
        }

        it(`${kemName}, ${name}: Go refuses a message sealed here and then tampered`, async () => {
          const sealed = await seal(suite, keys.publicKey, pattern(70000, 7), { info, aad });
          const b = sealed.slice();
          b[26 + enc + 100] = b[26 + enc + 100]! ^ 0x01;
          const args = ['open', '-seed', hex(keys.privateKey), '-aead', goAead, ...goInfoAad];
          expect(goFails(args, b)).toContain('ERR_AUTHENTICATION');
          expect(goFails(['open', '-seed', hex(keys.privateKey), '-kem', 'x-wing', ...goInfoAad], sealed)).toContain('ERR_INVALID_ARGUMENT');
        });
      }
    }
  });
}
