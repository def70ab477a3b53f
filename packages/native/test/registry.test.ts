// core's getBackend() must find this package by name and pick it first. In
// CI a silent fallback to wasm or noble is a failure.
import { readFileSync } from 'node:fs';
import { getBackend, probeBackends, SUITES } from '@hybridkem/core';
import { getSignatureBackend } from '@hybridkem/signing';
import { resetSignatureBackendsForTesting } from '@hybridkem/signing/testing';
import { inCI, resetBackendsForTesting } from '@hybridkem/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { requireNative } from './load.js';

const native = requireNative();

describe.runIf(native)('backend selection', () => {
  afterEach(() => resetBackendsForTesting());

  it(`getBackend() (auto) returns the native backend${inCI ? ' (CI=true)' : ''}, with no fallback`, async () => {
    const fallbacks: string[] = [];
    const chosen = await getBackend({ backend: 'auto', onFallback: (m) => fallbacks.push(m) });
    expect(fallbacks).toEqual([]);
    expect(chosen.name).toBe('native');
    expect(chosen.implementation).toBe(native!.backend.implementation);
  });

  it('getBackend({ backend: "native" }) and probeBackends() load it, first of native, openssl, wasm, noble', async () => {
    expect((await getBackend({ backend: 'native' })).name).toBe('native');
    const probes = await probeBackends();
    expect(probes.map((p) => p.name)).toEqual(['native', 'openssl', 'wasm', 'noble']);
    expect(probes[0]?.available).toBe(true);
  });

  it('declares every suite, its version, AWS-LC and constant time', () => {
    const b = native!.backend;
    expect([...b.suites].sort()).toEqual(SUITES.map((s) => s.id).sort());
    expect(b.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(b.implementation).toMatch(/AWS-LC/);
    expect(b.constantTime).toBe(true);
  });
});

describe.runIf(native)('signature backend selection', () => {
  afterEach(() => resetSignatureBackendsForTesting());

  it(`getSignatureBackend() (auto) returns the native signature backend${inCI ? ' (CI=true)' : ''}, with no fallback`, async () => {
    const fallbacks: string[] = [];
    const chosen = await getSignatureBackend({ backend: 'auto', onFallback: (m) => fallbacks.push(m) });
    expect(fallbacks).toEqual([]);
    expect(chosen.name).toBe('native');
    expect(chosen.implementation).toBe(native!.signatureBackend.implementation);
    expect((await getSignatureBackend({ backend: 'native' })).name).toBe('native');
  });

  it('describes AWS-LC and the pinned Ed448 crate, and says it is not promised constant time (Ed448)', () => {
    const b = native!.signatureBackend;
    expect(b.version).toBe(native!.backend.version);
    expect(b.implementation).toMatch(/AWS-LC/);
    const pinned = /ed448-goldilocks = \{ version = "=([^"]+)"/.exec(readFileSync(new URL('../../../native/Cargo.toml', import.meta.url), 'utf8'));
    expect(b.implementation).toContain(`ed448-goldilocks ${pinned?.[1]}`);
    expect(b.constantTime).toBe(false);
  });
});
