// Replaced by string literals at build and test time (versions.config.ts).
declare const __NOBLE_BACKEND_VERSION__: string;
declare const __NOBLE_POST_QUANTUM_VERSION__: string;
declare const __NOBLE_CURVES_VERSION__: string;
