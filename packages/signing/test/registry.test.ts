import { BACKEND_ENV, BackendUnavailableError, InvalidArgumentError } from '@hybridkem/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getSignatureBackend, type SignatureBackend } from '../src/index.js';
import { resetSignatureBackendsForTesting } from '../src/testing/index.js';

// native does not load (not built); openssl does not load (an old Node) unless
// a test says so; wasm loads but offers no signatures (a KEM-only build);
// noble offers a stand-in.
const { fake, fakeOpenssl, state } = vi.hoisted(() => ({
  fake: { name: 'noble', version: 't', implementation: 'stand-in', constantTime: false, mldsa: () => ({}), eddsa: () => ({}) },
  fakeOpenssl: { name: 'openssl', version: 't', implementation: 'stand-in', constantTime: true, mldsa: () => ({}), eddsa: () => ({}) },
  state: { nobleLoads: true, opensslLoads: false },
}));
vi.mock('@hybridkem/native', () => ({
  get signatureBackend() {
    throw new Error('native addon not built');
  },
}));
vi.mock('@hybridkem/openssl', () => ({
  get signatureBackend() {
    if (!state.opensslLoads) throw new Error('needs Node.js >= 24.7.0');
    return fakeOpenssl;
  },
}));
vi.mock('@hybridkem/wasm', () => ({ backend: {}, signatureBackend: undefined }));
vi.mock('@hybridkem/noble', () => ({
  get signatureBackend() {
    if (!state.nobleLoads) throw new Error('noble missing');
    return fake;
  },
}));

describe('getSignatureBackend', () => {
  beforeEach(() => {
    resetSignatureBackendsForTesting();
    state.nobleLoads = true;
    state.opensslLoads = false;
    delete process.env[BACKEND_ENV];
  });
  afterEach(() => {
    delete process.env[BACKEND_ENV];
  });

  it('takes the fastest backend that offers signatures and says why it passed over the others', async () => {
    const onFallback = vi.fn();
    expect(await getSignatureBackend({ onFallback })).toBe(fake as unknown as SignatureBackend);
    const [message] = onFallback.mock.calls[0]!;
    expect(message).toContain('native: backend native: cannot load @hybridkem/native');
    expect(message).toContain('openssl: backend openssl: cannot load @hybridkem/openssl');
    expect(message).toContain('wasm: backend wasm: @hybridkem/wasm does not implement composite signatures (no signatureBackend export)');
  });

  it('takes openssl after native and before wasm and noble when it loads', async () => {
    state.opensslLoads = true;
    const onFallback = vi.fn();
    expect(await getSignatureBackend({ onFallback })).toBe(fakeOpenssl as unknown as SignatureBackend);
    expect(onFallback.mock.calls[0]![1].map((f: { name: string }) => f.name)).toEqual(['native']);
  });

  it('candidates limit auto selection: one left out is neither tried nor reported', async () => {
    state.opensslLoads = true;
    const onFallback = vi.fn();
    expect(await getSignatureBackend({ candidates: ['noble', 'wasm'], onFallback })).toBe(fake as unknown as SignatureBackend);
    expect(onFallback.mock.calls[0]![1].map((f: { name: string }) => f.name)).toEqual(['wasm']);
    state.nobleLoads = false;
    resetSignatureBackendsForTesting();
    const err = (await getSignatureBackend({ candidates: ['wasm', 'noble'] }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toBe('no signature backend could be loaded (tried wasm, noble)');
    await expect(getSignatureBackend({ candidates: [] })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('a named backend is loaded alone, with its failure in cause', async () => {
    const err = (await getSignatureBackend({ backend: 'native' }).catch((e: unknown) => e)) as BackendUnavailableError;
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err.cause as Error).message).toBe('native addon not built');
    await expect(getSignatureBackend({ backend: 'wasm' })).rejects.toThrow('does not implement composite signatures');
  });

  it('follows HYBRIDKEM_BACKEND and rejects unknown names', async () => {
    process.env[BACKEND_ENV] = 'noble';
    expect((await getSignatureBackend()).name).toBe('noble');
    process.env[BACKEND_ENV] = 'native';
    await expect(getSignatureBackend()).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(getSignatureBackend({ backend: 'fast' as never })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('when none offers signatures, every failure is in cause', async () => {
    state.nobleLoads = false;
    const err = (await getSignatureBackend().catch((e: unknown) => e)) as BackendUnavailableError;
    expect(err.message).toBe('no signature backend could be loaded (tried native, openssl, wasm, noble)');
    expect((err.cause as AggregateError).errors).toHaveLength(4);
  });
});
