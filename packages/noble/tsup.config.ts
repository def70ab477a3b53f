import { defineConfig } from 'tsup';
import { VERSION_DEFINES } from './versions.config.js';

// One entry per export. Each suite has its own entry so that a page using one
// suite bundles that suite's components only; code shared between entries
// goes to chunks, and a chunk holds no top-level work that a bundler could
// not drop (hence the pure annotations in src/).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    signing: 'src/signing.ts',
    'x-wing': 'src/suites/x-wing.ts',
    'x25519-mlkem768': 'src/suites/x25519-mlkem768.ts',
    'x25519-mlkem1024': 'src/suites/x25519-mlkem1024.ts',
    'mlkem768-p256': 'src/suites/mlkem768-p256.ts',
    'mlkem1024-p384': 'src/suites/mlkem1024-p384.ts',
    'hpke-mlkem768-p256': 'src/suites/hpke-mlkem768-p256.ts',
    'hpke-mlkem1024-p384': 'src/suites/hpke-mlkem1024-p384.ts',
    'ml-kem-768': 'src/suites/ml-kem-768.ts',
    'ml-kem-1024': 'src/suites/ml-kem-1024.ts',
    'dhkem-x25519-hkdf-sha256': 'src/suites/dhkem-x25519-hkdf-sha256.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  define: VERSION_DEFINES,
});
