// The cluster test's node agent: the built agent (runAgentMain of dist/index.js, what dist/agent/main.js runs)
// with one fault added. With HYBRIDKEM_MESH_TEST_KILL_AFTER_COMMIT=P (0..1)
// the process SIGKILLs itself, with probability P per envelope, right after
// the envelope was committed to the node store and before it is
// acknowledged: the window in which exactly-once depends on the store
// recognising the redelivery (spec/MESH.md §7.4). The product entry has no
// such switch.
import { runAgentMain } from '../../dist/index.js';

const p = Number(process.env.HYBRIDKEM_MESH_TEST_KILL_AFTER_COMMIT ?? '0');
if (!(p >= 0 && p <= 1)) {
  process.stderr.write('HYBRIDKEM_MESH_TEST_KILL_AFTER_COMMIT: expected 0..1\n');
  process.exit(2);
}

runAgentMain(process.argv.slice(2), {
  afterCommit() {
    if (Math.random() < p) {
      process.stdout.write(`${JSON.stringify({ event: 'self-kill' })}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
}).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`chaos agent: ${error?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
