// Versions reported by `hybridkem backends`, read from this package's manifest
// at build time (the dependencies are pinned exactly).
import manifest from '../package.json' with { type: 'json' };

export const BACKEND_VERSION: string = manifest.version;
export const NOBLE_POST_QUANTUM_VERSION: string = manifest.dependencies['@noble/post-quantum'];
export const NOBLE_CURVES_VERSION: string = manifest.dependencies['@noble/curves'];
