// Every C ABI status (native/include/hybridkem.h) becomes the error code of
// spec/WIRE-FORMAT.md §9's table. The expected codes are written out here, not
// read from the code under test, so a changed mapping fails; the C# and Kotlin
// bindings assert the same table.
import { HybridKemError, XWING } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { requireNative } from './load.js';

const native = requireNative();

describe.runIf(native)('C ABI status -> error code', async () => {
  const { statusError, NativeCoreError } = await import('../src/errors.js');
  // A 5-byte public key, so that status 3 can name the field it is about.
  const inputs = { operation: 'encapsulate', publicKey: new Uint8Array(5), randomness: new Uint8Array(64) } as const;

  it.each([
    [1, 'ERR_INVALID_ARGUMENT'],
    [2, 'ERR_SUITE_NOT_SUPPORTED'],
    [3, 'ERR_INVALID_LENGTH'],
    [4, 'ERR_INVALID_MLKEM_KEY'],
    [5, 'ERR_INVALID_GROUP_ELEMENT'],
    [6, 'ERR_INVALID_SEED'],
    [7, 'ERR_NATIVE'],
    [8, 'ERR_NATIVE'],
    [9, 'ERR_NATIVE'],
    [10, 'ERR_CHANNEL_NEGOTIATION'],
    [11, 'ERR_CHANNEL_HANDSHAKE'],
    [12, 'ERR_CHANNEL_PEER_KEY'],
    [13, 'ERR_CHANNEL_DECRYPT'],
    [14, 'ERR_CHANNEL_TRUNCATED'],
    [15, 'ERR_CHANNEL_PROTOCOL'],
    [16, 'ERR_CHANNEL_CLOSED'],
    [17, 'ERR_NATIVE'],
    [-1, 'ERR_NATIVE'],
  ])('status %i -> %s', (status, code) => {
    const e = statusError(status, XWING, inputs);
    expect(e).toBeInstanceOf(HybridKemError);
    expect((e as HybridKemError).code).toBe(code);
  });

  it('ERR_NATIVE is a NativeCoreError with the status and its name, and no bytes in the message', () => {
    const e = statusError(8, XWING, inputs) as InstanceType<typeof NativeCoreError>;
    expect(e).toBeInstanceOf(NativeCoreError);
    expect(e.name).toBe('NativeCoreError');
    expect(e.status).toBe(8);
    expect(e.statusName).toBe('HYBRIDKEM_ERR_RANDOM');
    expect(e.message).toBe('@hybridkem/native: encapsulate failed in the native core (HYBRIDKEM_ERR_RANDOM)');
    expect((statusError(99, XWING, inputs) as InstanceType<typeof NativeCoreError>).statusName).toBe('HYBRIDKEM_ERR_UNKNOWN_STATUS');
  });

  it('status 3 that matches no input length is the core failing, not the caller: ERR_NATIVE', () => {
    const ok = { operation: 'encapsulate', publicKey: new Uint8Array(1216), randomness: new Uint8Array(64) } as const;
    expect((statusError(3, XWING, ok) as HybridKemError).code).toBe('ERR_NATIVE');
  });

  it.each([
    [1, 'ERR_INVALID_ARGUMENT'],
    [2, 'ERR_SUITE_NOT_SUPPORTED'],
    [3, 'ERR_NATIVE'],
    [7, 'ERR_NATIVE'],
    [8, 'ERR_NATIVE'],
    [9, 'ERR_NATIVE'],
    [-1, 'ERR_NATIVE'],
  ])('signing: status %i -> %s', async (status, code) => {
    const { signingStatusError } = await import('../src/errors.js');
    const e = signingStatusError(status, 'MLDSA65-Ed25519-SHA512', 'sign');
    expect(e).toBeInstanceOf(HybridKemError);
    expect((e as HybridKemError).code).toBe(code);
    expect(e.message).toContain('MLDSA65-Ed25519-SHA512');
  });
});
