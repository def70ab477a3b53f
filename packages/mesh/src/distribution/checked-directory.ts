/**
 * The DirectoryStore both distributions hand out (memory.ts, nats.ts), over
 * their own storage of records: every call refused once the distribution is
 * closed, put's and get's arguments checked before the storage sees them, an
 * exception of a watch's `onRecord` kept from the watch (DirectoryStore's
 * contract: the caller's verdict on a record), and every running watch kept
 * in `watches` until stopped, for the distribution's close() to stop.
 * @internal
 * @module
 */
import {
  checkDirectoryPut,
  checkedDirectoryKey,
  type DirectoryEntry,
  type DirectoryRole,
  type DirectoryStore,
  type DirectoryWatch,
} from './types.js';

/** Stops a running watch of the storage. */
type StopWatch = () => Promise<void>;

/** A distribution's own storage of directory records, called with checked arguments (`key` is `<role>.<name>`). */
export interface DirectoryStorage {
  put(key: string, role: DirectoryRole, name: string, bytes: Uint8Array): Promise<number>;
  get(key: string, role: DirectoryRole, name: string): Promise<DirectoryEntry | undefined>;
  list(): Promise<DirectoryEntry[]>;
  /**
   * Starts calling `deliver` (which never throws) with the current records
   * and every later put. A storage that starts at once returns the stop
   * function itself, so the watch is registered before watch() yields.
   */
  watch(deliver: (entry: DirectoryEntry) => void): StopWatch | Promise<StopWatch>;
}

/** The DirectoryStore over `storage`; `assertOpen` throws once the distribution is closed. */
export function checkedDirectory(assertOpen: () => void, watches: Set<DirectoryWatch>, storage: DirectoryStorage): DirectoryStore {
  return Object.freeze({
    async put(role: DirectoryRole, name: string, bytes: Uint8Array): Promise<number> {
      assertOpen();
      return storage.put(checkDirectoryPut(role, name, bytes), role, name, bytes);
    },
    async get(role: DirectoryRole, name: string): Promise<DirectoryEntry | undefined> {
      assertOpen();
      return storage.get(checkedDirectoryKey(role, name), role, name);
    },
    async list(): Promise<DirectoryEntry[]> {
      assertOpen();
      return storage.list();
    },
    async watch(onRecord: (entry: DirectoryEntry) => void): Promise<DirectoryWatch> {
      assertOpen();
      const deliver = (entry: DirectoryEntry): void => {
        try {
          onRecord(entry);
        } catch {
          // the caller's verdict on a record; the watch goes on (types.ts)
        }
      };
      const started = storage.watch(deliver);
      const stopStorage = started instanceof Promise ? await started : started;
      const watch: DirectoryWatch = {
        stop: async () => {
          await stopStorage();
          watches.delete(watch);
        },
      };
      watches.add(watch);
      return watch;
    },
  });
}
