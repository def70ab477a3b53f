import { readFileSync } from 'node:fs';

// The versions `hybridkem backends` reports, from this package's manifest (the
// dependencies are pinned exactly), substituted as string literals where
// src/ uses them, by tsup and by vitest alike. A literal at each use, unlike
// a shared module, leaves the per-suite builds no shared chunk that a
// bundler would have to keep for its side effects.
const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

export const VERSION_DEFINES: Record<string, string> = {
  __NOBLE_BACKEND_VERSION__: JSON.stringify(manifest.version),
  __NOBLE_POST_QUANTUM_VERSION__: JSON.stringify(manifest.dependencies['@noble/post-quantum']),
  __NOBLE_CURVES_VERSION__: JSON.stringify(manifest.dependencies['@noble/curves']),
};
