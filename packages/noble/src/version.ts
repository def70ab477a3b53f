// Versions reported by `hybridkem backends`, read from this package's manifest
// at build time (the dependencies are pinned exactly). Named imports, so that
// the build inlines these two fields and not the whole manifest.
import { dependencies, version } from '../package.json';

export const BACKEND_VERSION: string = version;
export const NOBLE_POST_QUANTUM_VERSION: string = dependencies['@noble/post-quantum'];
export const NOBLE_CURVES_VERSION: string = dependencies['@noble/curves'];
