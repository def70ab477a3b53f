/**
 * pnpm demo:wg — post-quantum pre-shared keys on a real WireGuard tunnel
 * (@hybridkem/mesh, spec/MESH.md §10-§12).
 *
 * Two network namespaces joined by a veth pair, `wireguard-go -f` in each,
 * peers of each other. Two mesh nodes (anchor-signed directory records,
 * hybrid KEM and composite signing keys) run the PSK rotation engine: every
 * 3 seconds the pair's initiator encapsulates to the responder's X-Wing
 * key, the responder answers with its own encapsulation, both derive the
 * same PSK and apply it with `wg set … preshared-key` (a 0600 file, removed
 * after) inside their namespace. After each rotation a handshake is forced
 * (it only completes when both sides hold the new PSK). Half-way through,
 * an emergency rotation. Meanwhile a ping runs through the tunnel; the last
 * line counts pings, losses and rotations. Every rotation goes to a signed
 * audit log that is verified at the end.
 *
 * Needs root, iproute2, wireguard-tools, wireguard-go, iputils-ping and
 * /dev/net/tun (Debian: bash scripts/setup-mesh-toolchain.sh). Without them
 * it says what is missing and runs the two engines in dry-run mode instead
 * (the wg commands printed, the PSK file redacted), ending with
 * `0 pings, 0 lost, R rotations (dry run: …)`.
 *
 * Options: --seconds N (how long the ping runs, default 15), --dry-run (the
 * dry-run mode even where the lab could run), --check (quiet; exit 1 on a
 * lost ping or a failed handshake).
 */
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  createDirectoryRecord,
  createMemoryPskChannel,
  createPskExchange,
  createRotationEngine,
  createWireGuardControl,
  netnsRunner,
  openAuditLog,
  TrustedDirectory,
  verifyAuditLog,
} from '@hybridkem/mesh';
import { crypto, demoOptions, kemKeyPair, signingKeyPair } from './common.mjs';

const { options, check, log } = demoOptions(
  'demo:wg',
  { 'dry-run': { type: 'boolean' }, seconds: { type: 'string' } },
  'Usage: pnpm demo:wg [-- --seconds N] [-- --dry-run] [-- --check]',
);
const seconds = options.seconds === undefined ? 15 : Number(options.seconds);
if (!Number.isInteger(seconds) || seconds < 8 || seconds > 600) {
  console.error('demo:wg: --seconds: expected an integer from 8 to 600');
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const INTERVAL_MS = 3_000;

function findTool(name) {
  for (const d of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    if (d === '') continue;
    try {
      accessSync(join(d, name), constants.X_OK);
      return join(d, name);
    } catch {
      // next
    }
  }
  return undefined;
}

/** What stops the real lab here, or [] when it can run. */
function missingPieces() {
  const missing = [];
  for (const [tool, pkg] of [['ip', 'iproute2'], ['wg', 'wireguard-tools'], ['wireguard-go', 'wireguard-go'], ['ping', 'iputils-ping']]) {
    if (findTool(tool) === undefined) missing.push(`${tool} (Debian package ${pkg})`);
  }
  try {
    accessSync('/dev/net/tun', constants.R_OK | constants.W_OK);
  } catch {
    missing.push('/dev/net/tun');
  }
  if (missing.length === 0) {
    const ns = `hkdemo-${process.pid}-probe`;
    try {
      execFileSync(findTool('ip'), ['netns', 'add', ns], { stdio: 'ignore' });
      execFileSync(findTool('ip'), ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      missing.push('permission to create network namespaces (root or CAP_SYS_ADMIN and CAP_NET_ADMIN)');
    }
  }
  return missing;
}

/** Runs a command to completion; rejects with its stderr on a non-zero status. */
function run(argv, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')}: exit ${code}: ${err.trim()}`))));
    if (input !== undefined) child.stdin.end(input);
  });
}

/** The lab: two namespaces, a veth pair, wireguard-go in each, peers of each other. stop() undoes everything. */
async function startLab() {
  const ip = findTool('ip');
  const wg = findTool('wg');
  const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'hybridkem-demo-wg-'));
  const sides = ['a', 'b'].map((name, i) => ({
    name,
    ns: `hkdemo-${tag}-${name}`,
    iface: `hkd${tag}${name}`.slice(0, 15),
    tunnel: `10.203.0.${i + 1}`,
    underlay: `10.204.0.${i + 1}`,
    port: 51820 + i,
    child: undefined,
    publicKey: '',
  }));
  const children = [];
  const stop = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await sleep(200);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const s of sides) {
      try {
        execFileSync(ip, ['netns', 'del', s.ns], { stdio: 'ignore' });
      } catch {
        // not created, or already gone
      }
      rmSync(`/var/run/wireguard/${s.iface}.sock`, { force: true });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const s of sides) {
      await run([ip, 'netns', 'add', s.ns]);
      await run([ip, '-n', s.ns, 'link', 'set', 'lo', 'up']);
    }
    const [a, b] = sides;
    await run([ip, '-n', a.ns, 'link', 'add', 'hkveth', 'type', 'veth', 'peer', 'name', 'hkveth', 'netns', b.ns]);
    for (const s of sides) {
      await run([ip, '-n', s.ns, 'addr', 'add', `${s.underlay}/24`, 'dev', 'hkveth']);
      await run([ip, '-n', s.ns, 'link', 'set', 'hkveth', 'up']);
      s.child = spawn(ip, ['netns', 'exec', s.ns, findTool('wireguard-go'), '-f', s.iface], { stdio: 'ignore' });
      children.push(s.child);
    }
    for (const s of sides) {
      for (let i = 0; ; i++) {
        try {
          await run([ip, '-n', s.ns, 'link', 'show', s.iface]);
          await run([wg, 'show', s.iface]);
          break;
        } catch (error) {
          if (i > 200) throw error;
          await sleep(50);
        }
      }
      const privateKey = await run([wg, 'genkey']);
      writeFileSync(join(dir, `${s.name}.key`), privateKey, { mode: 0o600 });
      s.publicKey = (await run([wg, 'pubkey'], privateKey)).trim();
    }
    for (const [self, other] of [[a, b], [b, a]]) {
      await run([ip, 'netns', 'exec', self.ns, wg, 'set', self.iface, 'private-key', join(dir, `${self.name}.key`), 'listen-port', String(self.port),
        'peer', other.publicKey, 'allowed-ips', `${other.tunnel}/32`, 'endpoint', `${other.underlay}:${other.port}`]);
      await run([ip, '-n', self.ns, 'addr', 'add', `${self.tunnel}/24`, 'dev', self.iface]);
      await run([ip, '-n', self.ns, 'link', 'set', self.iface, 'up']);
    }
    for (const s of sides) rmSync(join(dir, `${s.name}.key`), { force: true });
    return { a, b, ip, wg, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Pings b's tunnel address from a's namespace; resolves with the counts. */
function ping(lab, count, intervalMs) {
  return run([lab.ip, 'netns', 'exec', lab.a.ns, findTool('ping'), '-n', '-q', '-c', String(count), '-i', String(intervalMs / 1000), '-W', '1', lab.b.tunnel]).then(
    (out) => out,
    (error) => String(error.message),
  ).then((out) => {
    const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
    if (m === null) throw new Error(`ping printed no summary: ${out}`);
    return { sent: Number(m[1]), lost: Number(m[1]) - Number(m[2]) };
  });
}

const missing = options['dry-run'] ? [] : missingPieces();
const dryRunWhy = options['dry-run'] ? '--dry-run given' : `missing: ${missing.join('; ')}`;
const real = missing.length === 0 && !options['dry-run'];
if (!real) log(`demo:wg: no WireGuard lab (${dryRunWhy}): running both engines in dry-run mode instead.`);

// The mesh: a trust anchor and two nodes, each with a hybrid KEM key and a signing key, in the anchor-signed directory.
const anchor = signingKeyPair();
const names = ['node-a', 'node-b'];
const nodes = names.map((name) => ({ name, kem: kemKeyPair(), signing: signingKeyPair() }));
const records = nodes.map((n) =>
  createDirectoryRecord({ crypto, anchorPrivateKey: anchor.privateKey, anchorPublicKey: anchor.publicKey, role: 'node', name: n.name, revision: 1, issuedAt: Date.now(), kemPublicKey: n.kem.publicKey, signingPublicKey: n.signing.publicKey }),
);
anchor.privateKey.fill(0);

const lab = real ? await startLab() : undefined;
const workDir = mkdtempSync(join(tmpdir(), 'hybridkem-demo-wg-audit-'));
const auditKey = signingKeyPair();
const auditPath = join(workDir, 'audit.jsonl');
const audit = await openAuditLog(auditPath, { signer: crypto.signer, signingPrivateKey: auditKey.privateKey, signingPublicKey: auditKey.publicKey });
const hub = {};
const engines = [];
const controls = [];
const events = [];
let failed = false;
const interrupted = new Promise((resolve) => process.once('SIGINT', () => resolve('interrupted')));
try {
  // Without a lab, WireGuard public keys of the kind `wg pubkey` prints (X25519, base64) for the dry run to show.
  const x25519Public = () => Buffer.from(generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64');
  const sides = lab ? [lab.a, lab.b] : [{ ns: undefined, iface: 'wg0', publicKey: x25519Public() }, { ns: undefined, iface: 'wg0', publicKey: x25519Public() }];
  for (const [i, n] of nodes.entries()) {
    const directory = new TrustedDirectory({ crypto, anchorPublicKey: anchor.publicKey });
    for (const r of records) directory.add(r);
    const exchange = createPskExchange({ crypto, node: { name: n.name, kemPublicKey: n.kem.publicKey, kemPrivateKey: n.kem.privateKey, signingPublicKey: n.signing.publicKey, signingPrivateKey: n.signing.privateKey }, directory });
    const side = sides[i];
    const other = sides[1 - i];
    const control = createWireGuardControl({
      ...(lab ? { runner: netnsRunner(side.ns, undefined, lab.ip), wg: lab.wg } : { dryRun: true }),
      print: (line) => log(`  ${n.name} (dry run): ${line}`),
    });
    controls.push(control);
    engines.push(
      createRotationEngine({
        exchange,
        directory,
        channel: createMemoryPskChannel(hub),
        pairs: [['node-a', 'node-b']],
        peerPublicKey: () => other.publicKey,
        applier: { apply: async (peerPublicKey, psk) => void (await control.applyPresharedKey(side.iface, peerPublicKey, psk)) },
        audit,
        intervalMs: INTERVAL_MS,
        jitterMs: 300,
        timeoutMs: 3_000,
        retryMs: 500,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'applied') log(`  ${n.name}: rotated ${e.pair} to epoch ${e.epoch} as ${e.role} (${e.reason})`);
          else if (e.type !== 'initiated') log(`  ${n.name}: ${e.type} ${JSON.stringify({ ...e, type: undefined })}`);
        },
      }),
    );
  }
  const rotations = () => events.filter((e) => e.type === 'applied' && e.role === 'initiator');
  log(`demo:wg: ${real ? `namespaces ${lab.a.ns} and ${lab.b.ns}, wireguard-go on ${lab.a.iface} and ${lab.b.iface}` : 'dry run'}; rotating every ${INTERVAL_MS / 1000} s`);
  for (const e of engines) await e.start();
  for (let i = 0; rotations().length === 0; i++) {
    if (i > 300) throw new Error('the first rotation did not complete');
    await sleep(20);
  }

  let handshake = 0;
  const force = async () => {
    if (!lab) return;
    // latest-handshakes counts seconds: start the handshake in a later second than the previous one.
    await sleep(Math.max(0, (handshake + 1) * 1000 + 50 - Date.now()));
    const before = (await controls[0].readLatestHandshakes(lab.a.iface)).get(lab.b.publicKey) ?? 0;
    await controls[0].forceHandshake(lab.a.iface, lab.b.publicKey);
    handshake = await controls[0].waitForHandshake(lab.a.iface, lab.b.publicKey, before, { timeoutMs: 10_000 });
    log(`  node-a: forced handshake completed at ${new Date(handshake * 1000).toISOString()} (both sides hold the new PSK)`);
  };
  await force();

  const count = Math.floor((seconds * 1000) / 20);
  let pingDone = false;
  const pinging = lab ? ping(lab, count, 20).finally(() => (pingDone = true)) : sleep(seconds * 1000).then(() => ((pingDone = true), { sent: 0, lost: 0 }));
  let covered = rotations().length;
  let emergency = false;
  const start = Date.now();
  const stopped = interrupted.then(() => (pingDone = true));
  while (!pingDone) {
    if (rotations().length > covered) {
      covered = rotations().length;
      await force();
    }
    if (!emergency && Date.now() - start > (seconds * 1000) / 2) {
      emergency = true;
      log('  node-a: emergency rotation of the pair node-a,node-b');
      await engines[0].rotateNow({ pair: ['node-a', 'node-b'] });
    }
    await sleep(20);
  }
  void stopped;
  const result = await Promise.race([pinging, interrupted.then(() => ({ sent: 0, lost: 0 }))]);
  for (const e of engines) await e.stop();
  const total = rotations().length;
  const head = await audit.close();
  const verified = await verifyAuditLog(auditPath, { signingPublicKeys: [auditKey.publicKey] });
  log(`  audit log: ${verified.ok ? `verified, ${verified.entries} entries, head ${head.count}:${head.hash.slice(0, 16)}…` : `DOES NOT VERIFY: ${JSON.stringify(verified)}`}`);
  if (!verified.ok || result.lost > 0 || events.some((e) => e.type === 'aborted' || e.type === 'refused')) failed = true;
  console.log(`${result.sent} pings, ${result.lost} lost, ${total} rotations${real ? '' : ` (dry run, ${dryRunWhy})`}`);
} catch (error) {
  failed = true;
  console.error(`demo:wg: ${error.message}`);
} finally {
  for (const e of engines) await e.stop().catch(() => undefined);
  await audit.close().catch(() => undefined);
  await lab?.stop();
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed && check ? 1 : failed ? 1 : 0);
