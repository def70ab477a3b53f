/**
 * The private keys a store has unlocked: decrypted once, by an explicit
 * `unlock(name, passphrase)`, and held until `lock`, `delete` or the end of
 * their lifetime, when the bytes are overwritten with zeros. Nothing here
 * runs a KDF: a message naming a key that is not here gets ERR_KEY_LOCKED
 * at once: a forged message must not cost a KDF run.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';

/** setTimeout's largest delay (a signed 32-bit count of milliseconds). */
export const MAX_LIFETIME_MS = 2 ** 31 - 1;

/** Checks an unlock lifetime (callers check it before running the KDF). */
export function checkLifetime(lifetimeMs: number | undefined): void {
  if (lifetimeMs !== undefined && (!Number.isInteger(lifetimeMs) || lifetimeMs < 1 || lifetimeMs > MAX_LIFETIME_MS)) {
    throw new InvalidArgumentError('lifetimeMs', `expected an integer 1 ≤ lifetimeMs ≤ ${MAX_LIFETIME_MS}`);
  }
}

interface Entry {
  readonly key: Uint8Array;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

export class UnlockedKeys {
  readonly #entries = new Map<string, Entry>();

  /**
   * Holds `key` (the store's own copy, wiped later) for `id`, replacing and
   * wiping an earlier one; `lifetimeMs` omitted: until {@link wipe}.
   */
  set(id: string, key: Uint8Array, lifetimeMs?: number): void {
    try {
      checkLifetime(lifetimeMs);
    } catch (e) {
      key.fill(0);
      throw e;
    }
    this.wipe(id);
    const timer = lifetimeMs === undefined ? undefined : setTimeout(() => this.wipe(id), lifetimeMs);
    // An unlocked key must not keep the process alive.
    (timer as { unref?: () => void } | undefined)?.unref?.();
    this.#entries.set(id, { key, timer });
  }

  /** A fresh copy of the unlocked key of `id` (the caller wipes it), or undefined. */
  copy(id: string): Uint8Array | undefined {
    return this.#entries.get(id)?.key.slice();
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Overwrites and forgets the key of `id`; false when it was not unlocked. */
  wipe(id: string): boolean {
    const e = this.#entries.get(id);
    if (e === undefined) return false;
    if (e.timer !== undefined) clearTimeout(e.timer);
    e.key.fill(0);
    this.#entries.delete(id);
    return true;
  }

  wipeAll(): void {
    for (const id of [...this.#entries.keys()]) this.wipe(id);
  }
}
