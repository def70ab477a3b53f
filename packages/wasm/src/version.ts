// The package version reported by `hybridkem backends`, read from the manifest at build time.
import manifest from '../package.json' with { type: 'json' };

export const BACKEND_VERSION: string = manifest.version;
