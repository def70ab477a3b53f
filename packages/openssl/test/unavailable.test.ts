// On a Node without ML-KEM in node:crypto (Node 22 in scripts/test-node-versions.sh)
// importing the package throws BackendUnavailableError naming the Node it
// needs and the one running, and getBackend() passes over it; on Node ≥ 24.7
// it loads and getBackend takes it before wasm and noble.
import { BackendUnavailableError, BACKEND_ORDER, getBackend, registerBackendLoader } from '@hybridkem/core';
import { resetBackendsForTesting } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import { nodeHasMlKem } from './support.js';

if (!nodeHasMlKem) describe(`Node ${process.version}: unavailable, with the reason`, () => {
  it('importing throws BackendUnavailableError naming the Node needed and the one running', async () => {
    const error = await import('../src/index.js').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).code).toBe('ERR_BACKEND_UNAVAILABLE');
    expect((error as Error).message).toBe(
      `@hybridkem/openssl needs Node.js >= 24.7.0 (node:crypto with ML-KEM, OpenSSL 3.5); this is Node.js ${process.version}`,
    );
  });

  it('getBackend() falls back past it and says why', async () => {
    resetBackendsForTesting();
    registerBackendLoader('native', () => {
      throw new Error('not built in this test');
    });
    registerBackendLoader('openssl', () => import('../src/index.js'));
    registerBackendLoader('wasm', () => {
      throw new Error('not built in this test');
    });
    const messages: string[] = [];
    const backend = await getBackend({ onFallback: (m) => messages.push(m) });
    expect(backend.name).toBe('noble');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`openssl: backend openssl: cannot load @hybridkem/openssl: @hybridkem/openssl needs Node.js >= 24.7.0`);
    expect(messages[0]).toContain(`this is Node.js ${process.version}`);
    resetBackendsForTesting();
  });
});

if (nodeHasMlKem) describe(`Node ${process.version}: available`, () => {
  it('loads, describes itself, and getBackend() prefers it to wasm and noble', async () => {
    const { backend, signatureBackend } = await import('../src/index.js');
    expect(backend.name).toBe('openssl');
    expect(backend.constantTime).toBe(true);
    expect(backend.derandomizedEncapsulation).toBe(false);
    expect(backend.implementation).toBe(`OpenSSL ${process.versions.openssl} through node:crypto (Node.js ${process.version})`);
    expect(signatureBackend.name).toBe('openssl');
    expect(BACKEND_ORDER).toEqual(['native', 'openssl', 'wasm', 'noble']);
    resetBackendsForTesting();
    registerBackendLoader('native', () => {
      throw new Error('not built in this test');
    });
    registerBackendLoader('openssl', () => import('../src/index.js'));
    const messages: string[] = [];
    expect(await getBackend({ onFallback: (m) => messages.push(m) })).toBe(backend);
    expect(messages).toEqual(['hybridkem: using the openssl backend; faster backends did not load (native: backend native: cannot load @hybridkem/native: not built in this test)']);
    resetBackendsForTesting();
  });
});
