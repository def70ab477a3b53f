/**
 * Applying PSKs to real WireGuard devices (spec/MESH.md §12): two network
 * namespaces joined by a veth pair, wireguard-go in each
 * (@hybridkem/test-runtimes/wireguard), a ping through the tunnel. What is
 * checked comes from WireGuard itself (`wg show` and ping), never from the
 * module under test: the PSK each device holds, the public key and keepalive
 * it reports, handshake times, and ping's own counts.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireWireGuardLab, startWireGuardLab, wireGuardLabUsable, type WireGuardLab } from '@hybridkem/test-runtimes/wireguard';
import {
  createWireGuardControl,
  localCommandRunner,
  netnsRunner,
  WireGuardError,
  wireGuardPskApplier,
  type CommandRunner,
  type WireGuardControl,
} from '../src/wg/apply.js';

/** Fixed test PSKs (helper J's rotation engine derives real ones). */
const psk = (fill: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (fill * 37 + i * 11) & 0xff);
const PSK_START = psk(1);
const ROTATIONS = [psk(2), psk(3), psk(4), psk(5)];
const PSK_ODD = psk(9);
const b64 = (k: Uint8Array): string => Buffer.from(k).toString('base64');
const hex = (k: Uint8Array): string => Buffer.from(k).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.runIf(wireGuardLabUsable('wg-apply'))('applying PSKs to WireGuard (two namespaces, wireguard-go)', () => {
  let lab: WireGuardLab;
  let tmp: string;
  let ctlA: WireGuardControl;
  let ctlB: WireGuardControl;
  /** Every secret file path the commands were given, with its mode and its directory's mode at the time. */
  const seen: { path: string; fileMode: number; dirMode: number }[] = [];
  /** Every argv run, to check no secret was ever on a command line. */
  const argvs: string[] = [];

  /** The real runner in a namespace, recording the argv and the secret files' modes as wg sees them. */
  const observed = (ns: string): CommandRunner => {
    const inner = netnsRunner(ns, localCommandRunner);
    return async (argv, options) => {
      argvs.push(argv.join(' '));
      for (const a of argv) {
        if (a.startsWith(tmp)) {
          const dir = a.slice(0, a.lastIndexOf('/'));
          seen.push({ path: a, fileMode: lstatSync(a).mode & 0o777, dirMode: lstatSync(dir).mode & 0o777 });
        }
      }
      return inner(argv, options);
    };
  };

  /** What the device itself says: `wg show IFACE <what>` as a map from peer public key to value. */
  const wgShow = async (side: 'a' | 'b', what: string): Promise<Map<string, string>> => {
    const node = lab[side];
    const r = await node.exec([lab.tools.wg, 'show', node.iface, what]);
    expect(r.status, r.stderr).toBe(0);
    return new Map(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t') as [string, string]),
    );
  };
  const latest = async (side: 'a' | 'b'): Promise<number> => Number((await wgShow(side, 'latest-handshakes')).get(lab[side === 'a' ? 'b' : 'a'].publicKey));
  /** Waits until the wall clock is in a later second than `t`, so a new handshake's time (whole seconds) is visibly later. */
  const nextSecondAfter = async (t: number): Promise<void> => {
    const wait = (t + 1) * 1000 - Date.now() + 20;
    if (wait > 0) await sleep(wait);
  };

  beforeAll(async () => {
    requireWireGuardLab(); // under CI=true a missing tool fails here, naming it
    tmp = mkdtempSync(join(tmpdir(), 'hk-wg-apply-test-'));
    lab = await startWireGuardLab({ psk: PSK_START });
    ctlA = createWireGuardControl({ runner: observed(lab.a.ns), wg: lab.tools.wg, tmpDir: tmp });
    ctlB = createWireGuardControl({ runner: observed(lab.b.ns), wg: lab.tools.wg, tmpDir: tmp });
  });

  afterAll(async () => {
    await lab?.stop();
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
    if (lab !== undefined) {
      // Nothing of the lab is left: no namespace, no wireguard-go.
      const r = await localCommandRunner(['ip', 'netns', 'list'], { timeoutMs: 10_000, maxOutputBytes: 1 << 20 });
      expect(r.stdout).not.toContain(lab.a.ns);
      expect(r.stdout).not.toContain(lab.b.ns);
      expect(lab.a.running() || lab.b.running()).toBe(false);
    }
  });

  it('pings through the tunnel with the same fixed PSK on both sides', async () => {
    expect((await wgShow('a', 'preshared-keys')).get(lab.b.publicKey)).toBe(b64(PSK_START));
    expect((await wgShow('b', 'preshared-keys')).get(lab.a.publicKey)).toBe(b64(PSK_START));
    const r = await lab.ping({ count: 5, intervalMs: 100 });
    console.log(`wg-apply: start: ${r.sent} pings, ${r.lost} lost`);
    expect(r).toMatchObject({ sent: 5, received: 5, lost: 0 });
    expect(await latest('a')).toBeGreaterThan(0);
    expect(await latest('b')).toBeGreaterThan(0);
  });

  it('rotates the PSK on both sides with a continuous ping: no ping lost, a forced handshake after each rotation', async () => {
    const count = 200;
    const applierB = wireGuardPskApplier(ctlB, lab.b.iface);
    let rotationsDone = false;
    // Both directions: traffic the peer starts (b → a) arrives on the keys a's forced handshake replaces.
    const pinging = lab.ping({ count, intervalMs: 50 }).then((r) => ({ ...r, rotationsDoneBeforeEnd: rotationsDone }));
    const pingingBack = lab.ping({ from: 'b', count, intervalMs: 50 }).then((r) => ({ ...r, rotationsDoneBeforeEnd: rotationsDone }));
    await sleep(300);
    for (const [i, key] of ROTATIONS.entries()) {
      await ctlA.applyPresharedKey(lab.a.iface, lab.b.publicKey, key);
      await applierB.apply(lab.a.publicKey, key); // the rotation engine's applier form (§11)
      // What the devices hold now (read back from WireGuard, not from the module).
      expect((await wgShow('a', 'preshared-keys')).get(lab.b.publicKey)).toBe(b64(key));
      expect((await wgShow('b', 'preshared-keys')).get(lab.a.publicKey)).toBe(b64(key));

      const beforeA = await latest('a');
      const beforeB = await latest('b');
      await nextSecondAfter(Math.max(beforeA, beforeB));
      await ctlA.forceHandshake(lab.a.iface, lab.b.publicKey);
      const afterA = await ctlA.waitForHandshake(lab.a.iface, lab.b.publicKey, beforeA, { timeoutMs: 5_000 });
      const afterB = await ctlB.waitForHandshake(lab.b.iface, lab.a.publicKey, beforeB, { timeoutMs: 5_000 });
      // Cross-check with wg itself: both sides completed a handshake later than before (with the new PSK: a
      // handshake cannot complete with different PSKs, see the mismatch test).
      expect(await latest('a')).toBeGreaterThan(beforeA);
      expect(await latest('b')).toBeGreaterThan(beforeB);
      console.log(`wg-apply: rotation ${i + 1}: latest handshake a ${beforeA} -> ${afterA}, b ${beforeB} -> ${afterB}`);
      // The forced handshake left the device as it was: its own key and the peer's keepalive.
      expect((await lab.a.exec([lab.tools.wg, 'show', lab.a.iface, 'public-key'])).stdout.trim()).toBe(lab.a.publicKey);
      expect((await wgShow('a', 'persistent-keepalive')).get(lab.b.publicKey)).toBe('off');
    }
    rotationsDone = true;
    const [r, back] = await Promise.all([pinging, pingingBack]);
    console.log(`wg-apply: a→b ${r.sent} pings, ${r.lost} lost; b→a ${back.sent} pings, ${back.lost} lost; ${ROTATIONS.length} rotations`);
    console.log(`${r.sent + back.sent} pings, ${r.lost + back.lost} lost, ${ROTATIONS.length} rotations`);
    for (const x of [r, back]) {
      expect(x.rotationsDoneBeforeEnd).toBe(true); // the ping ran across every rotation
      expect(x.sent).toBe(count);
      expect(x.lost).toBe(0);
    }
  });

  it('forces a handshake also when the peer has a persistent keepalive, and keeps that keepalive', async () => {
    const set = await lab.a.exec([lab.tools.wg, 'set', lab.a.iface, 'peer', lab.b.publicKey, 'persistent-keepalive', '7']);
    expect(set.status, set.stderr).toBe(0);
    const before = await latest('a');
    await nextSecondAfter(before);
    await ctlA.forceHandshake(lab.a.iface, lab.b.publicKey);
    expect(await ctlA.waitForHandshake(lab.a.iface, lab.b.publicKey, before, { timeoutMs: 5_000 })).toBeGreaterThan(before);
    expect((await wgShow('a', 'persistent-keepalive')).get(lab.b.publicKey)).toBe('7');
    const off = await lab.a.exec([lab.tools.wg, 'set', lab.a.iface, 'peer', lab.b.publicKey, 'persistent-keepalive', 'off']);
    expect(off.status, off.stderr).toBe(0);
  });

  it('mismatched PSKs: the forced handshake fails and a ping through a fresh handshake gets nothing back; matching them again recovers', async () => {
    const current = ROTATIONS.at(-1)!;
    await ctlA.applyPresharedKey(lab.a.iface, lab.b.publicKey, PSK_ODD); // only one side
    expect((await wgShow('a', 'preshared-keys')).get(lab.b.publicKey)).toBe(b64(PSK_ODD));
    expect((await wgShow('b', 'preshared-keys')).get(lab.a.publicKey)).toBe(b64(current));
    const beforeA = await latest('a');
    const beforeB = await latest('b');
    await nextSecondAfter(Math.max(beforeA, beforeB));
    await ctlA.forceHandshake(lab.a.iface, lab.b.publicKey);
    const failed = await ctlA.waitForHandshake(lab.a.iface, lab.b.publicKey, beforeA, { timeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WireGuardError);
    expect((failed as WireGuardError).failure).toBe('handshake-timeout');
    expect(await latest('a')).toBe(beforeA);
    expect(await latest('b')).toBe(beforeB);
    const r = await lab.ping({ count: 5, intervalMs: 200 });
    console.log(`wg-apply: mismatched PSKs: ${r.sent} pings, ${r.lost} lost (expected all lost)`);
    expect(r).toMatchObject({ sent: 5, received: 0, lost: 5 });
    expect(await latest('a')).toBe(beforeA);

    // The other side catches up: the next forced handshake succeeds and traffic flows again.
    await ctlB.applyPresharedKey(lab.b.iface, lab.a.publicKey, PSK_ODD);
    await ctlA.forceHandshake(lab.a.iface, lab.b.publicKey);
    expect(await ctlA.waitForHandshake(lab.a.iface, lab.b.publicKey, beforeA, { timeoutMs: 5_000 })).toBeGreaterThan(beforeA);
    const again = await lab.ping({ count: 5, intervalMs: 100 });
    console.log(`wg-apply: after matching again: ${again.sent} pings, ${again.lost} lost`);
    expect(again).toMatchObject({ sent: 5, received: 5, lost: 0 });
  });

  it('dry run: prints and returns the commands with the secrets redacted, runs nothing, writes nothing', async () => {
    const printed: string[] = [];
    const dryTmp = mkdtempSync(join(tmpdir(), 'hk-wg-dry-'));
    try {
      const ran: string[] = [];
      const dry = createWireGuardControl({
        dryRun: true,
        tmpDir: dryTmp,
        print: (l) => printed.push(l),
        runner: async (argv) => {
          ran.push(argv.join(' '));
          throw new Error('a dry run ran a command');
        },
      });
      const before = (await wgShow('a', 'preshared-keys')).get(lab.b.publicKey);
      const applied = await dry.applyPresharedKey(lab.a.iface, lab.b.publicKey, ROTATIONS[0]!);
      const forced = await dry.forceHandshake(lab.a.iface, lab.b.publicKey);
      const i = lab.a.iface;
      const p = lab.b.publicKey;
      expect(printed).toEqual([
        `wg set ${i} peer ${p} preshared-key '<psk file, 0600, redacted>'`,
        `wg set ${i} private-key '<random private key file, 0600, redacted>'`,
        `wg set ${i} private-key '<device private key file, 0600, redacted>'`,
        `wg set ${i} peer ${p} persistent-keepalive 25`,
        `wg set ${i} peer ${p} persistent-keepalive off`,
      ]);
      expect([...applied, ...forced].map((c) => c.display)).toEqual(printed);
      expect(applied[0]!.argv).toEqual(['wg', 'set', i, 'peer', p, 'preshared-key', '<psk file, 0600, redacted>']);
      expect(ran).toEqual([]);
      expect(readdirSync(dryTmp)).toEqual([]);
      const all = printed.join('\n');
      expect(all).not.toContain(b64(ROTATIONS[0]!));
      expect(all).not.toContain(hex(ROTATIONS[0]!));
      expect((await wgShow('a', 'preshared-keys')).get(lab.b.publicKey)).toBe(before); // nothing applied
    } finally {
      rmSync(dryTmp, { recursive: true, force: true });
    }
  });

  it('a failing command is a typed error with wg’s stderr and without the PSK; its temp files are gone too', async () => {
    const err = await ctlA.applyPresharedKey('hknosuchdev0', lab.b.publicKey, PSK_ODD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WireGuardError);
    const e = err as WireGuardError;
    expect(e.failure).toBe('exit-status');
    expect(e.code).toBe('ERR_BACKEND_UNAVAILABLE');
    expect(e.stderr).not.toBe('');
    expect(e.command).toBe(`${lab.tools.wg} set hknosuchdev0 peer ${lab.b.publicKey} preshared-key '<psk file, 0600, redacted>'`);
    for (const text of [e.message, e.stderr, String(e.stack)]) {
      expect(text).not.toContain(b64(PSK_ODD));
      expect(text).not.toContain(hex(PSK_ODD));
    }
    expect(readdirSync(tmp)).toEqual([]);
    await expect(ctlA.applyPresharedKey(lab.a.iface, lab.b.publicKey, new Uint8Array(31))).rejects.toThrow(/psk: expected 32 bytes/);
    await expect(ctlA.applyPresharedKey('bad/name', lab.b.publicKey, PSK_ODD)).rejects.toThrow(/iface/);
    await expect(ctlA.applyPresharedKey(lab.a.iface, 'not-a-key', PSK_ODD)).rejects.toThrow(/peerPublicKey/);
  });

  it('secrets only ever went through 0600 files in 0700 directories, never on a command line, and every temp file is gone', () => {
    // 4 rotations × 2 sides + 4 + 2 applies, and 2 files per forced handshake (4 + 1 + 2), as wg saw them.
    expect(seen.length).toBeGreaterThanOrEqual(ROTATIONS.length * 2 + ROTATIONS.length * 2);
    for (const s of seen) {
      expect(s.fileMode).toBe(0o600);
      expect(s.dirMode).toBe(0o700);
    }
    const cmdlines = argvs.join('\n');
    for (const key of [PSK_START, ...ROTATIONS, PSK_ODD]) {
      expect(cmdlines).not.toContain(b64(key));
      expect(cmdlines).not.toContain(hex(key));
    }
    expect(cmdlines).toContain(' private-key ');
    expect(readdirSync(tmp)).toEqual([]);
  });
});
