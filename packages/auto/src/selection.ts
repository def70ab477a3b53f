/**
 * Backend selection over core's registry, for one platform: the backends that
 * can run there, each loaded from this package (which depends on them), so
 * that they are found whatever the package manager's layout and followed by
 * bundlers. Shared by the Node entry (index.ts) and the bundler entry
 * (browser.ts).
 * @module
 */
import {
  getBackend as coreGetBackend,
  loadBackend as coreLoadBackend,
  probeBackends as coreProbeBackends,
  registerBackendLoader,
  type Backend,
  type BackendModuleLoader,
  type BackendName,
  type BackendProbe,
  type GetBackendOptions,
} from '@hybridkem/core';

export interface Selection {
  getBackend(options?: GetBackendOptions): Promise<Backend>;
  loadBackend(name: BackendName): Promise<Backend>;
  probeBackends(): Promise<BackendProbe[]>;
}

/**
 * @param loaders the backends this platform can run, by name, each with the
 *   import that loads its package (registered with core on first use)
 */
export function createSelection(loaders: Partial<Record<BackendName, BackendModuleLoader>>): Selection {
  const candidates = Object.keys(loaders) as BackendName[];
  let registered = false;
  const register = () => {
    if (registered) return;
    registered = true;
    for (const name of candidates) registerBackendLoader(name, loaders[name]!);
  };
  return {
    getBackend(options = {}) {
      register();
      return coreGetBackend({ candidates, ...options });
    },
    loadBackend(name) {
      register();
      return coreLoadBackend(name);
    },
    async probeBackends() {
      register();
      return (await coreProbeBackends()).filter((p) => candidates.includes(p.name));
    },
  };
}
