/**
 * The distribution a URL names (spec/MESH.md §7):
 *
 * - `memory:` a new in-process distribution; `memory:NAME` the in-process
 *   hub NAME shared by every connection of this process to it;
 * - `nats://host:port[,host:port…]` (each part may repeat `nats://`) NATS
 *   JetStream through those servers (any one reachable is enough).
 * @module
 */
import { DistributionError } from './errors.js';
import { createMemoryDistribution, type MemoryDistributionOptions } from './memory.js';
import { connectNatsDistribution, type NatsDistributionOptions } from './nats.js';
import type { Distribution } from './types.js';

export interface ConnectDistributionOptions {
  memory?: MemoryDistributionOptions;
  nats?: NatsDistributionOptions;
}

const HOST_PORT = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]):(\d{1,5})$/;
const HUB_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The servers of a `nats://` URL, each as `nats://host:port`; throws DistributionError 'url' for anything else. */
export function parseNatsUrl(url: string): string[] {
  if (typeof url !== 'string' || !url.startsWith('nats://') || url.length > 4096) throw new DistributionError('url', 'expected nats://host:port[,host:port…]');
  const servers = url
    .slice('nats://'.length)
    .split(',')
    .map((part) => (part.startsWith('nats://') ? part.slice('nats://'.length) : part));
  if (servers.length > 32) throw new DistributionError('url', 'at most 32 servers');
  return servers.map((hp) => {
    const m = HOST_PORT.exec(hp);
    const port = m ? Number(m[1]) : 0;
    if (!m || port < 1 || port > 65535) throw new DistributionError('url', `not host:port: ${JSON.stringify(hp.slice(0, 300))}`);
    return `nats://${hp}`;
  });
}

/** Connects to the distribution `url` names (see the module comment). */
export async function connectDistribution(url: string, options: ConnectDistributionOptions = {}): Promise<Distribution> {
  if (typeof url === 'string' && url.startsWith('memory:')) {
    const hubName = url.slice('memory:'.length);
    if (hubName !== '' && !HUB_NAME.test(hubName)) throw new DistributionError('url', 'memory:NAME takes 1..64 characters of [A-Za-z0-9_-]');
    return createMemoryDistribution({ ...options.memory, ...(hubName === '' ? {} : { hubName }) });
  }
  if (typeof url === 'string' && url.startsWith('nats://')) return connectNatsDistribution(parseNatsUrl(url), options.nats);
  throw new DistributionError('url', 'expected memory:[NAME] or nats://host:port[,host:port…]');
}
