/**
 * A node agent as a process: runAgentMain(argv) is what dist/agent/main.js
 * runs (and `hybridkem mesh agent` can call), one process per node.
 *
 *     node dist/agent/main.js --url nats://127.0.0.1:4222 --node n-1 --store DIR \
 *       --kem-private-key FILE --kem-public-key FILE --anchor FILE [--backend auto|native|noble|…]
 *       [--kem X-Wing] [--kdf HKDF-SHA256] [--aead AES-128-GCM] [--signature-suite MLDSA65-Ed25519-SHA512]
 *       [--replicas 1|3|5] [--ack-wait-ms MS] [--compact-bytes N]
 *
 * Key files hold encoded v1 keys (KEM private 0x02, KEM public 0x01, the
 * anchor's signing public key 0x05), binary. It reports on stdout, one JSON
 * object per line: {"event":"ready"}, {"event":"applied",envelopeId,keyName,
 * version,deliveryCount}, {"event":"redelivered",envelopeId}, {"event":"refused",reason,
 * envelopeId?}, {"event":"directory-refused",name}, {"event":"error",message}
 * — never key bytes. SIGTERM or SIGINT stops it cleanly: the envelope in
 * hand is finished and acknowledged, the store closed, exit 0.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { getBackend, type BackendName } from '@hybridkem/core';
import { createHpkeSuite, type HpkeAeadName, type HpkeKdfName, type HpkeKemName } from '@hybridkem/seal';
import { createSigner, getSignatureBackend, type SignatureSuiteName } from '@hybridkem/signing';
import type { MeshCrypto } from '../crypto.js';
import { TrustedDirectory } from '../directory/trusted.js';
import { connectDistribution } from '../distribution/connect.js';
import { createReceiver, type AppliedEnvelope } from '../receiver.js';
import { openFileNodeStore } from '../store/file.js';
import { startNodeAgent } from './agent.js';

export interface AgentMainHooks {
  /**
   * Called after an envelope was committed, before it is acknowledged (the
   * cluster test uses it to kill the process at exactly that point).
   */
  afterCommit?: (applied: AppliedEnvelope) => void | Promise<void>;
  /** Where the JSON lines go (default: process.stdout). */
  write?: (line: string) => void;
}

const MAX_KEY_FILE = 16 * 1024;

async function readKeyFile(path: string, what: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(path));
  if (bytes.length < 1 || bytes.length > MAX_KEY_FILE) throw new Error(`${what} (${path}): expected 1..${MAX_KEY_FILE} bytes, got ${bytes.length}`);
  return bytes;
}

/** Runs the agent until SIGTERM/SIGINT; resolves when it has stopped. */
export async function runAgentMain(argv: readonly string[], hooks: AgentMainHooks = {}): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      url: { type: 'string' },
      node: { type: 'string' },
      store: { type: 'string' },
      'kem-private-key': { type: 'string' },
      'kem-public-key': { type: 'string' },
      anchor: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      kem: { type: 'string', default: 'X-Wing' },
      kdf: { type: 'string', default: 'HKDF-SHA256' },
      aead: { type: 'string', default: 'AES-128-GCM' },
      'signature-suite': { type: 'string', default: 'MLDSA65-Ed25519-SHA512' },
      replicas: { type: 'string', default: '1' },
      'ack-wait-ms': { type: 'string', default: '30000' },
      'compact-bytes': { type: 'string' },
    },
  });
  const need = (k: keyof typeof values): string => {
    const v = values[k];
    if (typeof v !== 'string' || v === '') throw new Error(`--${k} is required`);
    return v;
  };
  const required = ['url', 'node', 'store', 'kem-private-key', 'kem-public-key', 'anchor'] as const;
  const missing = required.filter((k) => typeof values[k] !== 'string' || values[k] === '');
  if (missing.length > 0) throw new Error(`${missing.map((k) => `--${k}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`);
  const write = hooks.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const report = (o: Record<string, unknown>): void => write(JSON.stringify(o));

  const backendName = need('backend') as BackendName | 'auto';
  const [backend, signatureBackend] = await Promise.all([getBackend({ backend: backendName }), getSignatureBackend({ backend: backendName })]);
  const crypto: MeshCrypto = Object.freeze({
    hpke: createHpkeSuite({ kem: need('kem') as HpkeKemName, kdf: need('kdf') as HpkeKdfName, aead: need('aead') as HpkeAeadName, backend }),
    signer: createSigner(need('signature-suite') as SignatureSuiteName, signatureBackend),
  });
  const [kemPrivateKey, kemPublicKey, anchorPublicKey] = await Promise.all([
    readKeyFile(need('kem-private-key'), 'KEM private key'),
    readKeyFile(need('kem-public-key'), 'KEM public key'),
    readKeyFile(need('anchor'), 'anchor public key'),
  ]);
  const directory = new TrustedDirectory({ crypto, anchorPublicKey });
  const compactBytes = values['compact-bytes'] === undefined ? undefined : Number(values['compact-bytes']);
  const store = await openFileNodeStore(need('store'), compactBytes === undefined ? {} : { compactBytes });
  let distribution;
  try {
    distribution = await connectDistribution(need('url'), {
      nats: { replicas: Number(need('replicas')), ackWaitMs: Number(need('ack-wait-ms')), connectionName: `hybridkem-agent-${need('node')}` },
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const receiver = createReceiver({ crypto, kemPrivateKey, kemPublicKey, directory, store });
  kemPrivateKey.fill(0);
  const agent = await startNodeAgent({
    distribution,
    receiver,
    directory,
    nodeName: need('node'),
    async onApply(a, d) {
      await hooks.afterCommit?.(a);
      report({ event: 'applied', envelopeId: a.envelopeId, keyName: a.keyName, version: a.version, deliveryCount: d.deliveryCount });
    },
    onRedelivered: (e, d) => report({ event: 'redelivered', envelopeId: e.envelope.envelopeId, deliveryCount: d.deliveryCount }),
    onRefuse: (e) => report({ event: 'refused', reason: e.reason, envelopeId: e.envelope.envelopeId }),
    onDirectoryRefused: (_e, entry) => report({ event: 'directory-refused', role: entry.role, name: entry.name }),
    onError: (e) => report({ event: 'error', message: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 500) : 'error' }),
  });
  report({ event: 'ready', node: agent.nodeName });

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await agent.stop();
  await distribution.close();
  await store.close();
  report({ event: 'stopped', stats: agent.stats() });
}
