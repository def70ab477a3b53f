// Cross-implementation check of multi-recipient sealed messages
// (spec/WIRE-FORMAT.md §10): messages sealed here open with the independent
// Go implementation (interop/go, sealed_multi.go, written from the spec) and
// the reverse, with every suite as a recipient, visible and hidden key ids,
// both AEADs. The Go CLI `hkmulti` is built once into a temp dir.
// Without `go` on PATH the suite is skipped, except under CI=true, where it fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithIdentities, sealToRecipients, type HpkeAeadName } from '../src/index.js';
import { pattern, rejects, utf8 } from './helpers.js';
import { ALL_SUITES, identity, party, recipient, type Party } from './multi-helpers.js';

const GO_DIR = fileURLToPath(new URL('../../../interop/go', import.meta.url));
const goAvailable = (() => {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
})();
const inCI = process.env.CI === 'true';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const AEADS: { name: HpkeAeadName; go: string }[] = [
  { name: 'ChaCha20-Poly1305', go: 'chacha20poly1305' },
  { name: 'AES-256-GCM', go: 'aes256gcm' },
];

if (!goAvailable && inCI) {
  describe('Go interop (multi-recipient sealed messages)', () => {
    it('needs the Go toolchain', () => {
      throw new Error('`go` is not on PATH, and CI=true requires the Go interop check (interop/go, cmd/hkmulti)');
    });
  });
} else if (!goAvailable) {
  console.warn('multi-go-interop.test.ts: skipped — `go` is not on PATH (install Go 1.26+; required when CI=true)');
  describe.skip('Go interop (multi-recipient sealed messages) — skipped: `go` not on PATH', () => {
    it('needs the Go toolchain', () => undefined);
  });
} else {
  describe('Go interop (multi-recipient sealed messages, WIRE-FORMAT.md §10)', () => {
    let dir = '';
    let hkmulti = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hkmulti-'));
      hkmulti = join(dir, process.platform === 'win32' ? 'hkmulti.exe' : 'hkmulti');
      // GOPROXY=off: the module is fetched in setup (`go mod download`, .ci/run), never during a test.
      execFileSync('go', ['build', '-o', hkmulti, './cmd/hkmulti'], { cwd: GO_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GOPROXY: 'off' } });
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    function go(args: string[], input: Uint8Array): { status: number | null; stdout: Uint8Array; stderr: string } {
      const r = spawnSync(hkmulti, args, { input, maxBuffer: 64 * 1024 * 1024 });
      if (r.error) throw r.error;
      return { status: r.status, stdout: new Uint8Array(r.stdout), stderr: r.stderr.toString('utf8') };
    }
    function goOk(args: string[], input: Uint8Array): Uint8Array {
      const r = go(args, input);
      expect(r.stderr, `hkmulti ${args[0]} stderr`).toBe('');
      expect(r.status).toBe(0);
      return r.stdout;
    }
    const info = utf8('multi go info');
    const aad = utf8('multi go aad');
    const common = ['-info', hex(info), '-aad', hex(aad)];
    const to = (ps: Party[]) => ps.flatMap((p) => ['-to', `${p.name}:${hex(p.publicKey)}`]);
    const id = (p: Party) => ['-id', `${p.name}:${hex(p.privateKey)}`];

    for (const { name: aead, go: goAead } of AEADS) {
      const parties = ALL_SUITES.map((s, i) => party(s, 600 + i, aead));
      const pt = pattern(70_000, 6);
      for (const hideKeyIds of [false, true]) {
        it(`${aead}, ids ${hideKeyIds ? 'hidden' : 'visible'}: sealed here to all seven suites, each opens in Go`, async () => {
          const sealed = await sealToRecipients(parties.map(recipient), pt, { info, aad, hideKeyIds });
          for (const p of parties) expect(Buffer.from(goOk(['open', ...id(p), ...common], sealed)).equals(Buffer.from(pt))).toBe(true);
          // Go refuses what does not authenticate, with the code of §10.4 and no plaintext.
          const bad = sealed.slice();
          bad[bad.length - 1]! ^= 1;
          const r = go(['open', ...id(parties[0]!), ...common], bad);
          expect(r.status).toBe(1);
          expect(r.stdout.length).toBe(0);
          expect(r.stderr).toMatch(/^hkmulti: ERR_AUTHENTICATION /);
        });
        it(`${aead}, ids ${hideKeyIds ? 'hidden' : 'visible'}: sealed in Go to all seven suites, each opens here`, async () => {
          const sealed = goOk(['seal', ...to(parties), ...common, '-aead', goAead, ...(hideKeyIds ? ['-hide'] : [])], pt);
          expect(sealed[7]).toBe(hideKeyIds ? 1 : 0);
          for (const p of parties) expect(await openWithIdentities([identity(p)], sealed, { info, aad })).toEqual(pt);
          await rejects(openWithIdentities([identity(parties[1]!)], sealed, { info: utf8('other'), aad }), hideKeyIds ? 'ERR_INVALID_ARGUMENT' : 'ERR_AUTHENTICATION');
        });
      }
    }
  });
}
