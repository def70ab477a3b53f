/**
 * A node store in memory: the rules of spec/MESH.md §5 without durability,
 * for tests, examples and nodes that may forget everything on restart.
 * @module
 */
import { systemClock, type Clock } from '../clock.js';
import { NodeStoreError } from '../errors.js';
import { checkSkew, checkStored, StoreState } from './state.js';
import type { NodeStore, StoredEnvelope } from './types.js';

export function createMemoryNodeStore(o: { clock?: Clock; skewMs?: number } = {}): NodeStore {
  const state = new StoreState(o.clock ?? systemClock, checkSkew(o.skewMs));
  let closed = false;
  return Object.freeze({
    hasApplied: (id: string) => state.hasApplied(id),
    latestVersion: (keyName: string) => state.latestVersion(keyName),
    async commit(a: StoredEnvelope): Promise<void> {
      if (closed) throw new NodeStoreError('closed', 'the store is closed');
      const e = checkStored(a);
      state.check(e);
      state.apply(e);
      state.prune();
    },
    applied: () => state.applied(),
    async close(): Promise<void> {
      closed = true;
    },
  });
}
