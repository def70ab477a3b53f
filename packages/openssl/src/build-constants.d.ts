// Replaced by a string literal at build and test time (tsup.config.ts, vitest.config.ts).
declare const __OPENSSL_BACKEND_VERSION__: string;
