// The C# client against the Node service (examples/node-service), and against two fake
// services that lie: one changes a byte of the key confirmation, one announces another key id.
import { fileURLToPath } from 'node:url';
import { describeClientProgram } from '@hybridkem/example-node-service/testing/client-program';

await describeClientProgram({
  name: 'dotnet-client',
  script: fileURLToPath(new URL('../scripts/client.sh', import.meta.url)),
  tools: ['mcs', 'mono'],
  setup: 'native/bindings/csharp/scripts/setup.sh',
  // mcs compiles the binding and the client in about a second.
  buildTimeoutMs: 60_000,
});
