// The Kotlin channel client (src/main/kotlin/ChannelClient.kt: the Kotlin binding's Channel, which runs
// the native core's channel on clatter through the C ABI) against a Node responder running TypeScript's
// channel (@hybridkem/transport) with the noble backend — two independent implementations of
// spec/TRANSPORT.md §6. The responder answers every byte XOR 0x5a and closes after the client's close.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { armor, createKem, encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { acceptChannel } from '@hybridkem/transport';

const script = fileURLToPath(new URL('../scripts/channel-client.sh', import.meta.url));
const nativeLib = fileURLToPath(new URL('../../../native/target/release/libhybridkem_native.so', import.meta.url));
const SETUP = 'native/bindings/kotlin/scripts/setup.sh';
const children = new Set();

/** Runs the client in its own process group with `stdin` as its input; the group is killed on timeout and in after(). */
function runClient(args, stdin, env = {}, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { detached: true, env: { ...process.env, ...env } });
    children.add(child);
    const out = [];
    let stderr = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdin.on('error', () => { /* the client may exit before reading all of stdin (a failed handshake) */ });
    child.stdin.end(stdin);
    const timer = setTimeout(() => {
      kill(child);
      reject(new Error(`channel-client.sh ${args.join(' ')} timed out after ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill(child);
      resolve({ code: code ?? signal, stdout: Buffer.concat(out), stderr });
    });
  });
}
function kill(child) {
  children.delete(child);
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group has exited */ }
}

async function missingTools() {
  const out = [];
  for (const tool of ['mvn', 'java']) {
    const found = await new Promise((r) => execFile('sh', ['-c', `command -v ${tool}`], (e) => r(!e)));
    if (!found) out.push(`${tool} (${SETUP})`);
  }
  if (!existsSync(nativeLib)) out.push(`${nativeLib} (build @hybridkem/native)`);
  return out;
}

const xor = (b) => Buffer.from(Uint8Array.from(b, (x) => x ^ 0x5a));

/** A Node channel responder on 127.0.0.1; `outcome` records what each connection received, its info and errors. */
async function startResponder(options) {
  const outcome = { received: [], infos: [], errors: [] };
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    acceptChannel(socket, { backend, ...options }).then((ch) => {
      outcome.infos.push(ch.info);
      const parts = [];
      ch.on('data', (d) => { parts.push(d); ch.write(xor(d)); });
      ch.on('end', () => { outcome.received.push(Buffer.concat(parts)); ch.end(); });
      ch.on('error', (e) => outcome.errors.push(e));
    }, (e) => outcome.errors.push(e));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${server.address().port}`,
    outcome,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

const until = async (cond, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for the responder');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const problems = await missingTools();
const skip = problems.length && process.env.CI !== 'true' ? `missing ${problems.join(', ')}` : false;
if (skip) console.log(`# kotlin channel client skipped: ${skip}`);

describe('Kotlin channel client ↔ Node channel responder', { skip }, () => {
  const xwing = createKem('X-Wing', backend);
  const mlkem = createKem('ML-KEM-768', backend);
  const server = { suite: 'X-Wing', ...xwing.keygen() };
  const client = { suite: 'X-Wing', ...xwing.keygen() };
  const serverMlkem = { suite: 'ML-KEM-768', ...mlkem.keygen() };
  const responders = [];
  let dir;
  const file = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  let serverPub;
  let clientKey;

  before(async () => {
    assert.deepEqual(problems, [], `missing under CI=true: ${problems.join(', ')}`);
    // A cold Maven build compiles the binding and the client (scripts/client.sh; about 30 s on 2 cores).
    const built = await runClient([], '', { HYBRIDKEM_BUILD_ONLY: '1' }, 240_000);
    assert.equal(built.code, 0, `build failed: ${built.stderr}`);
    dir = mkdtempSync(join(tmpdir(), 'kotlin-channel-'));
    // Keys come from TypeScript (core + noble), armored as spec/WIRE-FORMAT.md §3 says.
    serverPub = file('server.pub', armor(encodePublicKey('X-Wing', server.publicKey)));
    clientKey = file('client.key', armor(encodePrivateKey('X-Wing', client.privateKey)));
  });
  after(async () => {
    for (const child of [...children]) kill(child);
    for (const r of responders) await r.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const responder = async (options) => {
    const r = await startResponder(options);
    responders.push(r);
    return r;
  };
  const handshakeLine = (stderr) => /^kotlin-channel-client: (\S+) handshake hash ([0-9a-f]+)$/m.exec(stderr);

  it('pqNK over X-Wing: 200 KiB each way intact, same handshake hash on both sides', async () => {
    const r = await responder({ staticKeys: [server] });
    const data = randomBytes(200 * 1024);
    const { code, stdout, stderr } = await runClient(['--connect', r.address, '--server-key', serverPub], data);
    assert.equal(code, 0, stderr);
    await until(() => r.outcome.received.length === 1);
    assert.ok(r.outcome.received[0].equals(data), 'the Node responder received the bytes the Kotlin client sent');
    assert.ok(stdout.equals(xor(data)), 'the Kotlin client printed exactly the responder\'s answer');
    const [, protocol, hash] = handshakeLine(stderr) ?? assert.fail(`no handshake line in: ${stderr}`);
    assert.equal(protocol, 'Noise_pqNK_XWing_ChaChaPoly_SHA256');
    const info = r.outcome.infos[0];
    assert.equal(info.pattern, 'pqNK');
    assert.equal(hash, Buffer.from(info.handshakeHash).toString('hex'));
    assert.deepEqual(r.outcome.errors, []);
  });

  it('pqIK with AESGCM and SHA512: the responder learns the Kotlin client\'s key', async () => {
    const r = await responder({
      staticKeys: [server], hashes: ['SHA256', 'SHA512'],
      verifyRemoteStatic: (k) => Buffer.from(k.publicKey).equals(Buffer.from(client.publicKey)),
    });
    const data = Buffer.from('hello from Kotlin over pqIK');
    const { code, stdout, stderr } = await runClient(
      ['--connect', r.address, '--server-key', serverPub, '--key', clientKey, '--cipher', 'AESGCM', '--hash', 'SHA512'], data);
    assert.equal(code, 0, stderr);
    await until(() => r.outcome.received.length === 1);
    assert.ok(r.outcome.received[0].equals(data));
    assert.ok(stdout.equals(xor(data)));
    const info = r.outcome.infos[0];
    assert.equal(info.pattern, 'pqIK');
    const { mode, suite, cipher, hash } = info.parameters;
    assert.deepEqual([mode, suite.name, cipher, hash], ['hybrid', 'X-Wing', 'AESGCM', 'SHA512']);
    assert.ok(Buffer.from(info.remoteStatic).equals(Buffer.from(client.publicKey)));
    assert.equal(handshakeLine(stderr)?.[1], 'Noise_pqIK_XWing_AESGCM_SHA512');
    assert.equal(handshakeLine(stderr)?.[2], Buffer.from(info.handshakeHash).toString('hex'));
  });

  it('pqNK over ML-KEM-768 (pq-only mode)', async () => {
    const r = await responder({ staticKeys: [serverMlkem], modes: ['pq-only'] });
    const pub = file('mlkem.pub', armor(encodePublicKey('ML-KEM-768', serverMlkem.publicKey)));
    const data = randomBytes(1000);
    const { code, stdout, stderr } = await runClient(['--connect', r.address, '--server-key', pub], data);
    assert.equal(code, 0, stderr);
    await until(() => r.outcome.received.length === 1);
    assert.ok(r.outcome.received[0].equals(data));
    assert.ok(stdout.equals(xor(data)));
    assert.equal(handshakeLine(stderr)?.[1], 'Noise_pqNK_MLKEM768_ChaChaPoly_SHA256');
    assert.equal(r.outcome.infos[0].parameters.mode, 'pq-only');
  });

  it('a wrong server key: the Kotlin client exits 1 with ERR_CHANNEL_TRUNCATED, nothing on stdout; the responder fails the handshake', async () => {
    const r = await responder({ staticKeys: [server] });
    const wrong = file('wrong.pub', armor(encodePublicKey('X-Wing', xwing.keygen().publicKey)));
    const { code, stdout, stderr } = await runClient(['--connect', r.address, '--server-key', wrong], Buffer.from('never sent'));
    assert.equal(code, 1, stderr);
    assert.equal(stdout.length, 0);
    assert.match(stderr, /^kotlin-channel-client: ERR_CHANNEL_TRUNCATED: /m);
    assert.equal(stderr.trim().split('\n').length, 1, `one-line error: ${stderr}`);
    await until(() => r.outcome.errors.length === 1);
    assert.equal(r.outcome.errors[0].code, 'ERR_CHANNEL_HANDSHAKE');
    assert.equal(r.outcome.received.length, 0);
  });

  it('a Kotlin client key the responder rejects: ERR_CHANNEL_PEER_KEY there, exit 1 here', async () => {
    const r = await responder({ staticKeys: [server], verifyRemoteStatic: () => false });
    const { code, stdout, stderr } = await runClient(['--connect', r.address, '--server-key', serverPub, '--key', clientKey], Buffer.from('x'));
    assert.equal(code, 1, stderr);
    assert.equal(stdout.length, 0);
    assert.match(stderr, /^kotlin-channel-client: ERR_CHANNEL_[A-Z_]+: /m);
    await until(() => r.outcome.errors.length === 1);
    assert.equal(r.outcome.errors[0].code, 'ERR_CHANNEL_PEER_KEY');
  });
});
