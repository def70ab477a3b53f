#!/usr/bin/env node
/**
 * Runs the example service:
 *
 *   node src/server.mjs [--port 8080] [--host 127.0.0.1] [--keys DIR] [--allow-origin ORIGIN]
 *
 * The key store directory defaults to ./keys. Set HYBRIDKEM_PASSPHRASE to keep
 * the private key encrypted at rest (read from the environment, not argv,
 * where `ps` would show it). Prints the URL and key id; never a key.
 * @module
 */
import { parseArgs } from 'node:util';
import { startService } from './service.mjs';

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      keys: { type: 'string', default: 'keys' },
      'allow-origin': { type: 'string' },
    },
  }));
} catch (error) {
  console.error(`server: ${error.message}`);
  process.exit(2);
}

const port = Number(options.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`server: --port must be 0..65535, got ${options.port}`);
  process.exit(2);
}

try {
  const service = await startService({
    host: options.host,
    port,
    keyDir: options.keys,
    passphrase: process.env.HYBRIDKEM_PASSPHRASE || undefined,
    allowOrigin: options['allow-origin'],
  });
  console.log(`listening on ${service.url} (key id ${service.keyId})`);
  const stop = () => service.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // Typed library errors say what was wrong (e.g. ERR_AUTHENTICATION: wrong passphrase) without secrets.
  console.error(`server: ${error.code ? `${error.code}: ` : ''}${error.message}`);
  process.exit(1);
}
