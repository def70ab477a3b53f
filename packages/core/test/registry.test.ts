import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKEND_ENV,
  BackendUnavailableError,
  InvalidArgumentError,
  getBackend,
  probeBackends,
  registerBackend,
  registerBackendLoader,
  type Backend,
} from '../src/index.js';
import { resetBackendsForTesting } from '../src/testing/index.js';

// The backend packages are replaced: native, openssl and wasm fail to load as
// they do where they are not built (openssl: on a Node without ML-KEM); noble
// loads a stand-in.
const { fakeNoble, state } = vi.hoisted(() => ({ fakeNoble: { name: 'noble', version: '0.0.0-test', implementation: 'stand-in', constantTime: false, suites: [], derivePublicKey: () => new Uint8Array(), encapsulate: () => ({ ciphertext: new Uint8Array(), sharedSecret: new Uint8Array() }), decapsulate: () => new Uint8Array() } as unknown as Backend, state: { nobleLoads: true } }));
// A getter that throws stands for a module whose evaluation fails (an addon
// that is not built): vitest wraps errors thrown by a factory itself.
vi.mock('@hybridkem/native', () => ({
  get backend() {
    throw new Error('native addon not built');
  },
}));
vi.mock('@hybridkem/openssl', () => ({
  get backend() {
    throw new Error('needs Node >= 24.7');
  },
}));
vi.mock('@hybridkem/wasm', () => ({
  get backend() {
    throw new Error('wasm not built');
  },
}));
vi.mock('@hybridkem/noble', () => ({
  get backend() {
    if (!state.nobleLoads) throw new Error('noble missing');
    return fakeNoble;
  },
}));

describe('getBackend', () => {
  beforeEach(() => {
    resetBackendsForTesting();
    state.nobleLoads = true;
    delete process.env[BACKEND_ENV];
  });
  afterEach(() => {
    delete process.env[BACKEND_ENV];
  });

  it('takes the fastest that loads and reports each failure once', async () => {
    const onFallback = vi.fn();
    const b = await getBackend({ onFallback });
    expect(b.name).toBe('noble');
    expect(onFallback).toHaveBeenCalledTimes(1);
    const [message, failures] = onFallback.mock.calls[0]!;
    expect(message).toContain('native: backend native: cannot load @hybridkem/native: native addon not built');
    expect(message).toContain('openssl: backend openssl: cannot load @hybridkem/openssl: needs Node >= 24.7');
    expect(message).toContain('wasm: backend wasm: cannot load @hybridkem/wasm: wasm not built');
    expect(failures.map((f: { name: string }) => f.name)).toEqual(['native', 'openssl', 'wasm']);
  });

  it('warns once per process without a callback', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    await getBackend();
    await getBackend();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^hybridkem: using the noble backend/);
    warn.mockRestore();
  });

  it('a backend named by option loads alone: no fallback, failure in cause', async () => {
    const err = await getBackend({ backend: 'native' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(((err as Error).cause as Error).message).toBe('native addon not built');
  });

  it('the environment variable names a backend the same way', async () => {
    process.env[BACKEND_ENV] = 'wasm';
    await expect(getBackend()).rejects.toBeInstanceOf(BackendUnavailableError);
    process.env[BACKEND_ENV] = 'noble';
    expect((await getBackend()).name).toBe('noble');
    process.env[BACKEND_ENV] = 'fastest';
    await expect(getBackend()).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('when nothing loads, every failure is in cause', async () => {
    state.nobleLoads = false;
    const err = (await getBackend().catch((e: unknown) => e)) as BackendUnavailableError;
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toBe('no backend could be loaded (tried native, openssl, wasm, noble)');
    const cause = err.cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.errors.map((e: Error) => e.message)).toEqual([
      'backend native: cannot load @hybridkem/native',
      'backend openssl: cannot load @hybridkem/openssl',
      'backend wasm: cannot load @hybridkem/wasm',
      'backend noble: cannot load @hybridkem/noble',
    ]);
  });

  it('registered backends win over imports; probe lists all four', async () => {
    registerBackend({ ...fakeNoble, name: 'wasm' } as Backend);
    expect((await getBackend({ onFallback: () => {} })).name).toBe('wasm');
    const probe = await probeBackends();
    expect(probe.map((p) => [p.name, p.available])).toEqual([
      ['native', false],
      ['openssl', false],
      ['wasm', true],
      ['noble', true],
    ]);
    expect(() => registerBackend({ name: 'other' } as unknown as Backend)).toThrow(InvalidArgumentError);
  });

  it('candidates limit auto selection: a backend left out is neither tried nor reported', async () => {
    const onFallback = vi.fn();
    expect((await getBackend({ candidates: ['noble'], onFallback })).name).toBe('noble');
    expect(onFallback).not.toHaveBeenCalled();
    // Tried in BACKEND_ORDER whatever order they are given in.
    await getBackend({ candidates: ['noble', 'wasm'], onFallback });
    expect(onFallback).toHaveBeenCalledTimes(1);
    expect(onFallback.mock.calls[0]![1].map((f: { name: string }) => f.name)).toEqual(['wasm']);
    resetBackendsForTesting();
    state.nobleLoads = false;
    const err = (await getBackend({ candidates: ['wasm', 'noble'] }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('no backend could be loaded (tried wasm, noble)');
    await expect(getBackend({ candidates: [] })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(getBackend({ candidates: ['bogus' as 'noble'] })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('a registered loader is used instead of importing the package by name', async () => {
    const loaded = { ...fakeNoble, name: 'wasm' } as Backend;
    const load = vi.fn(async () => ({ backend: Promise.resolve(loaded) }));
    registerBackendLoader('wasm', load);
    expect(await getBackend({ candidates: ['wasm'] })).toBe(loaded);
    expect(await getBackend({ backend: 'wasm' })).toBe(loaded);
    expect(load).toHaveBeenCalledTimes(1);
    registerBackendLoader('native', () => {
      throw new Error('no prebuilt binary for this platform');
    });
    const err = (await getBackend({ backend: 'native' }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err.cause as Error).message).toBe('no prebuilt binary for this platform');
    expect(() => registerBackendLoader('other' as 'wasm', load)).toThrow(InvalidArgumentError);
  });
});
