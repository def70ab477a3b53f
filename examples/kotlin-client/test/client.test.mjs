// The Kotlin client against the Node service (examples/node-service), and against two fake
// services that lie: one changes a byte of the key confirmation, one announces another key id.
import { fileURLToPath } from 'node:url';
import { describeClientProgram } from '@hybridkem/example-node-service/testing/client-program';

await describeClientProgram({
  name: 'kotlin-client',
  script: fileURLToPath(new URL('../scripts/client.sh', import.meta.url)),
  tools: ['mvn', 'java'],
  setup: 'native/bindings/kotlin/scripts/setup.sh',
  // A cold Maven build compiles the binding and the client (about 30 s on 2 cores).
  buildTimeoutMs: 240_000,
});
