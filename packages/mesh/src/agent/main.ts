/**
 * The node agent's process entry (dist/agent/main.js; spec/MESH.md §7.3):
 *
 *     node dist/agent/main.js --url URL --node NAME --store DIR \
 *       --kem-private-key FILE --kem-public-key FILE --anchor FILE [options]
 *
 * See run.ts for the options and the JSON lines it prints. Exit 0 after a
 * clean stop (SIGTERM, SIGINT), 1 when it cannot start.
 * @module
 */
import { runAgentMain } from './run.js';

runAgentMain(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`hybridkem mesh agent: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exit(1);
  },
);
