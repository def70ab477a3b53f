// When WebAssembly is missing or its compilation is blocked (a CSP without
// 'wasm-unsafe-eval'), importing the package fails and says why, with the
// original error as `cause`; core's getBackend() then falls back to noble and
// reports it (native and openssl, which come first, are taken out of the way).
import { getBackend, registerBackend, type BackendUnavailableError } from '@hybridkem/core';
import { resetBackendsForTesting } from '@hybridkem/core/testing';
import { backend as nobleBackend } from '@hybridkem/noble';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { built, NOT_BUILT } from './built.js';

const run = built();

/** WebAssembly whose compilation throws `error`, as under a CSP without 'wasm-unsafe-eval'. */
function blockCompilation(error: Error): void {
  vi.stubGlobal('WebAssembly', {
    Module: function Module() {
      throw error;
    },
    Instance: WebAssembly.Instance,
    CompileError: WebAssembly.CompileError,
  });
}

async function importFresh(): Promise<unknown> {
  vi.resetModules();
  try {
    await import('../src/index.js');
  } catch (error) {
    return error;
  }
  throw new Error('expected the import to fail');
}

/** A fresh import gets a fresh core too (vi.resetModules), so check the code, not the class. */
function expectUnavailable(e: unknown): asserts e is BackendUnavailableError {
  expect(e).toBeInstanceOf(Error);
  expect((e as BackendUnavailableError).code).toBe('ERR_BACKEND_UNAVAILABLE');
  expect((e as Error).name).toBe('BackendUnavailableError');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('@hybridkem/native');
  vi.doUnmock('@hybridkem/openssl');
  resetBackendsForTesting();
});

describe.skipIf(!run)(`loading fails and says why${NOT_BUILT ? ` (${NOT_BUILT})` : ''}`, () => {
  it('compilation blocked by policy: BackendUnavailableError with the original in cause', async () => {
    const blocked = new WebAssembly.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source");
    blockCompilation(blocked);
    const e = await importFresh();
    expectUnavailable(e);
    expect((e as Error).message).toMatch(/cannot compile the WebAssembly module: compilation is blocked/);
    expect((e as Error).cause).toBe(blocked);
  });

  it('no WebAssembly at all', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const e = await importFresh();
    expectUnavailable(e);
    expect((e as Error).message).toMatch(/no WebAssembly/);
  });

  it("core's getBackend() finds this package by name", async () => {
    vi.resetModules();
    const chosen = await getBackend({ backend: 'wasm' });
    expect(chosen.name).toBe('wasm');
  });

  it("core's getBackend() falls back to noble and reports the reason", async () => {
    blockCompilation(new WebAssembly.CompileError('blocked by policy'));
    // getBackend imports '@hybridkem/wasm' by name: this package's dist, evaluated
    // afresh (vi.resetModules) under the blocked WebAssembly.
    // The native backend comes first and may be built here: take it out of the way.
    vi.doMock('@hybridkem/native', () => {
      throw new Error('native backend not installed (test)');
    });
    // So does openssl, on a Node with ML-KEM in node:crypto.
    vi.doMock('@hybridkem/openssl', () => {
      throw new Error('openssl backend not installed (test)');
    });
    vi.resetModules();
    registerBackend(nobleBackend);
    const reports: string[] = [];
    const chosen = await getBackend({ onFallback: (message) => reports.push(message) });
    expect(chosen.name).toBe('noble');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/using the noble backend/);
    expect(reports[0]).toMatch(/wasm: backend wasm: cannot load @hybridkem\/wasm: .*@hybridkem\/wasm: cannot compile the WebAssembly module/);
    expect(reports[0]).toMatch(/blocked by policy/);
  });
});
