/**
 * hybridkem gateway example: the example node service (plain HTTP on
 * 127.0.0.1) behind @hybridkem/transport's TLS gateway, which terminates TLS
 * with the post-quantum hybrid group X25519MLKEM768 and serves Prometheus
 * metrics (handshakes by group, fallbacks, refusals, handshake latency,
 * active connections) for prometheus/prometheus.yml and the Grafana
 * dashboards in grafana/.
 *
 *   node src/gateway.mjs [--port 8443] [--metrics-port 9464] [--policy NAME] [--keys DIR]
 *
 * The TLS certificate is a throwaway self-signed P-256 one for localhost,
 * made with the openssl CLI the way @hybridkem/transport's own tests make
 * theirs; use your real certificate and key in production.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startService } from '@hybridkem/example-node-service/service';
import { createGateway, TLS_POLICY_NAMES } from '@hybridkem/transport';

/**
 * hybrid-with-classical-fallback: hybrid clients get X25519MLKEM768, clients
 * without post-quantum key exchange still connect on a classical group and
 * are counted as fallbacks (the dashboard's fallback rate shows how many are
 * left before hybrid-only can be switched on).
 */
export const DEFAULT_POLICY = 'hybrid-with-classical-fallback';

/** A self-signed P-256 certificate for localhost / 127.0.0.1 (30 days), via the openssl CLI. */
async function makeCertificate(dir) {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '30', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
}

/**
 * Starts the node service, the TLS gateway in front of it and the metrics
 * server. Ports 0 pick free ones.
 * @param {{ host?: string, port?: number, metricsPort?: number, policy?: string, keyDir?: string, cert?: string, key?: string }} [options]
 * @returns {Promise<{ url: string, metricsUrl: string, upstreamUrl: string, keyId: string, close(): Promise<void> }>}
 */
export async function startGateway({ host = '127.0.0.1', port = 0, metricsPort = 0, policy = DEFAULT_POLICY, keyDir, cert, key } = {}) {
  if (!TLS_POLICY_NAMES.includes(policy)) throw new TypeError(`unknown TLS policy ${JSON.stringify(policy)}, expected one of ${TLS_POLICY_NAMES.join(', ')}`);
  const stop = [];
  const close = async () => {
    for (const f of stop.reverse()) await f().catch(() => {});
  };
  try {
    const work = await mkdtemp(join(tmpdir(), 'hybridkem-gateway-'));
    stop.push(() => rm(work, { recursive: true, force: true }));
    if (!cert || !key) ({ cert, key } = await makeCertificate(work));

    // The upstream listens on loopback only: the gateway is its one way in.
    const service = await startService({ host: '127.0.0.1', port: 0, keyDir: keyDir ?? join(work, 'keys') });
    stop.push(() => service.close());
    const upstream = new URL(service.url);

    const gateway = createGateway({ policy, listen: { host, port }, upstream: { host: upstream.hostname, port: Number(upstream.port) }, cert, key });
    gateway.on('error', (error) => process.stderr.write(`gateway: ${error.message}\n`));
    const bound = await gateway.listen();
    // Drain briefly on close: this is an example, not a fleet behind a load balancer.
    stop.push(() => gateway.close({ drainTimeoutMs: 2_000 }));

    // Prometheus scrapes GET /metrics (text exposition format from the gateway's prom-client registry).
    const metricsServer = http.createServer((request, response) => {
      if (request.method === 'GET' && request.url === '/metrics') {
        gateway.registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': gateway.registry.contentType }).end(text),
          () => response.writeHead(500).end(),
        );
      } else response.writeHead(404).end();
    });
    await new Promise((resolve, reject) => metricsServer.once('error', reject).listen(metricsPort, host, resolve));
    stop.push(() => new Promise((resolve) => { metricsServer.closeAllConnections(); metricsServer.close(() => resolve()); }));
    const m = metricsServer.address();

    return {
      url: `https://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`,
      metricsUrl: `http://${m.address.includes(':') ? `[${m.address}]` : m.address}:${m.port}/metrics`,
      upstreamUrl: service.url,
      keyId: service.keyId,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A port option: an integer 0..65535 (0 picks a free one). */
function portOption(name, text, fallback) {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!/^[0-9]+$/.test(text) || port > 65535) throw new TypeError(`--${name}: expected a port 0..65535, got ${JSON.stringify(text)}`);
  return port;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { values } = parseArgs({
      options: { host: { type: 'string' }, port: { type: 'string' }, 'metrics-port': { type: 'string' }, policy: { type: 'string' }, keys: { type: 'string' } },
      // `pnpm ... start -- --port 0` may hand the script a leading "--".
      args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    });
    const g = await startGateway({
      host: values.host ?? '127.0.0.1',
      port: portOption('port', values.port, 8443),
      metricsPort: portOption('metrics-port', values['metrics-port'], 9464),
      policy: values.policy ?? DEFAULT_POLICY,
      keyDir: values.keys,
    });
    console.log(`gateway ${g.url} -> ${g.upstreamUrl} (service key ${g.keyId}); metrics ${g.metricsUrl}`);
    const shutdown = () => g.close().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    console.error(`gateway: ${error.message.split('\n', 1)[0]}`);
    process.exit(1);
  }
}
