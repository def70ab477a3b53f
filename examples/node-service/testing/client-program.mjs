/**
 * The test suite of a client of this service that runs as a separate program
 * (examples/dotnet-client, examples/kotlin-client): the client against the real
 * service, and against two fake services that lie (one changes a byte of the
 * key confirmation, one announces another key id). Each client's test file
 * calls describeClientProgram with its script and the tools it needs.
 * @module
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService } from '../src/service.mjs';

const nativeLib = fileURLToPath(new URL('../../../native/target/release/libhybridkem_native.so', import.meta.url));

/**
 * Runs scripts/client.sh in its own process group, bounded by `timeoutMs`: on timeout the whole
 * group (bash, mvn/mcs, the JVM/mono) is killed. Resolves {code, stdout, stderr}.
 */
function runClient(script, args, env = {}, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { detached: true, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      reject(new Error(`client.sh ${args.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group has exited, as expected */ }
      resolve({ code: code ?? signal, stdout, stderr });
    });
  });
}

/** Which runtimes are missing: under CI=true that is a failure, otherwise the suite skips and says why. */
async function missing(tools, setup) {
  const out = [];
  for (const tool of tools) {
    const found = await new Promise((r) => execFile('sh', ['-c', `command -v ${tool}`], (e) => r(!e)));
    if (!found) out.push(`${tool} (${setup})`);
  }
  if (!existsSync(nativeLib)) out.push(`${nativeLib} (build @hybridkem/native)`);
  return out;
}

/** A fake service on 127.0.0.1 that forwards to the real one and lets `tamper` change the answer. */
async function fakeService(upstream, tamper) {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const init = { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' } };
      if (req.method === 'POST') init.body = Buffer.concat(chunks);
      const up = await fetch(upstream + req.url, { ...init, signal: AbortSignal.timeout(10_000) });
      const answer = { status: up.status, headers: Object.fromEntries(up.headers), body: await up.text() };
      tamper(req.url, answer);
      delete answer.headers['content-length'];
      delete answer.headers['transfer-encoding'];
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch (error) {
      res.writeHead(502).end(String(error.message));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * @param {{name: string, script: string, tools: string[], setup: string, buildTimeoutMs: number}} client
 *   name: the suite's name (e.g. 'kotlin-client');
 *   script: the client's scripts/client.sh (builds when HYBRIDKEM_BUILD_ONLY=1, else runs with --url);
 *   tools: commands it needs on PATH; setup: what installs them
 */
export async function describeClientProgram({ name, script, tools, setup, buildTimeoutMs }) {
  const problems = await missing(tools, setup);
  if (problems.length && process.env.CI !== 'true') console.log(`# ${name} skipped: missing ${problems.join(', ')}`);

  describe(name, { skip: problems.length && process.env.CI !== 'true' ? `missing ${problems.join(', ')}` : false }, () => {
    let service;
    let keyDir;
    const fakes = [];

    before(async () => {
      assert.deepEqual(problems, [], `missing runtime under CI=true: ${problems.join(', ')}`);
      const built = await runClient(script, [], { HYBRIDKEM_BUILD_ONLY: '1' }, buildTimeoutMs);
      assert.equal(built.code, 0, `build failed: ${built.stderr}`);
      keyDir = mkdtempSync(join(tmpdir(), `${name}-`));
      service = await startService({ keyDir });
    });
    after(async () => {
      for (const f of fakes) await f.close();
      await service?.close();
      if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    });

    it('confirms the key with the Node service; the key id is the one TypeScript computed', async () => {
      const { code, stdout, stderr } = await runClient(script, ['--url', service.url]);
      assert.equal(code, 0, stderr);
      // service.keyId comes from @hybridkem/core (TypeScript), not from the binding under test.
      assert.equal(stdout.trim(), `key confirmed with ${service.keyId} (X-Wing)`);
    });

    it('refuses a confirmation with one byte changed', async () => {
      const fake = await fakeService(service.url, (path, answer) => {
        if (path !== '/v1/kem') return;
        const json = JSON.parse(answer.body);
        const mac = Buffer.from(json.confirmation, 'base64');
        mac[0] ^= 0x01;
        json.confirmation = mac.toString('base64');
        answer.body = JSON.stringify(json);
      });
      fakes.push(fake);
      const { code, stdout, stderr } = await runClient(script, ['--url', fake.url]);
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /key confirmation failed/);
      assert.equal(stderr.trim().split('\n').length, 1, 'one-line error');
    });

    it('refuses a public key whose announced key id differs', async () => {
      let kemCalls = 0;
      const wrongId = service.keyId.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      const fake = await fakeService(service.url, (path, answer) => {
        if (path === '/v1/public-key') answer.headers['x-hybridkem-key-id'] = wrongId;
        if (path === '/v1/kem') kemCalls += 1;
      });
      fakes.push(fake);
      const { code, stderr } = await runClient(script, ['--url', fake.url]);
      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`key id mismatch: the service announced ${wrongId}, its key has ${service.keyId}`));
      assert.equal(kemCalls, 0, 'nothing is encapsulated to a refused key');
    });
  });
}
