/**
 * Entry point of a gateway cluster worker (built to dist/gateway/worker.js;
 * `startGatewayCluster` forks it). It asks the primary for its options, runs
 * one `createGateway` on the shared listen address, answers the primary's
 * metrics requests (prom-client's AggregatorRegistry), and drains and exits
 * when the primary says so.
 * @module
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';
import { createGateway, type Gateway } from './gateway.js';
import { isPrimaryMessage, type WorkerMessage } from './protocol.js';

function send(message: WorkerMessage): void {
  // The primary may already be gone; then this worker exits on 'disconnect'.
  if (process.connected) process.send?.(message);
}

function main(): void {
  if (!cluster.isWorker) {
    throw new Error('hybridkem gateway worker: this module is a cluster worker entry; start the gateway with startGatewayCluster');
  }
  // Signals are the primary's business: it drains the workers over IPC. A
  // Ctrl-C reaches the whole process group, and a worker that died of it
  // would cut its connections instead of draining them.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});

  const registry = new Registry();
  // Constructing an AggregatorRegistry in a worker installs the listener that
  // answers the primary's metrics requests; setRegistries picks what it reports.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);

  let gateway: Gateway | undefined;
  process.on('message', (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    if (message.type === 'hybridkem-gateway:start' && !gateway) {
      let g: Gateway;
      try {
        g = createGateway({ ...message.options, registry });
      } catch (error) {
        send({ type: 'hybridkem-gateway:failed', message: (error as Error).message, code: (error as { code?: string }).code });
        return;
      }
      gateway = g;
      g.on('error', (error: Error) => process.stderr.write(`hybridkem gateway worker ${process.pid}: ${error.message}\n`));
      g.listen().then(
        (address) => send({ type: 'hybridkem-gateway:listening', address }),
        (error: NodeJS.ErrnoException) => send({ type: 'hybridkem-gateway:failed', message: error.message, code: error.code }),
      );
    } else if (message.type === 'hybridkem-gateway:drain') {
      const closing = gateway ? gateway.close({ drainTimeoutMs: message.drainTimeoutMs }) : Promise.resolve();
      void closing.then(() => {
        const message: WorkerMessage = { type: 'hybridkem-gateway:drained' };
        if (process.connected && process.send) process.send(message, () => process.exit(0));
        else process.exit(0);
      });
    }
  });
  send({ type: 'hybridkem-gateway:hello' });
}

main();
