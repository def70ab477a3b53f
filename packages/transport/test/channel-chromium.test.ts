/**
 * The channel between a Chromium page and Node over WebSocket: the page
 * (test/fixtures/channel-browser, bundled here with esbuild for the browser
 * from the `./channel` entry plus @hybridkem/wasm or @hybridkem/noble) runs
 * the initiator over the browser's own WebSocket; a `ws` server in this
 * process runs the responder (acceptWebSocket) on the other backend, sends a
 * greeting and echoes, with node:crypto as its AEAD and hash (the page's
 * build uses @noble's). Asserted: the bytes both ways, each side's backend,
 * the agreed pattern and suite, the same handshake hash on both sides, the
 * static keys each side authenticated, and a clean close (1000). A page given
 * the wrong server key fails the handshake. Chromium, the static server and
 * the WebSocket server are stopped in afterAll whatever happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, type Backend } from '@hybridkem/core';
import { backend as nobleBackend } from '@hybridkem/noble';
import { launchChromium, probeChromium } from '@hybridkem/test-runtimes/chromium';
import { assertUsable, shouldRun } from '@hybridkem/test-runtimes/runtime';
import { serve, type StaticServer } from '@hybridkem/test-runtimes/static-server';
import { backend as wasmBackend } from '@hybridkem/wasm';
import type { Metafile } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { nodeCrypto } from '../src/channel/noise/crypto-node.js';
import { acceptWebSocket } from '../src/channel/websocket.js';
import type { PageResult } from './fixtures/channel-browser/page.js';
import { assertChannelBuilt, bundleImports, bundlePages, serverKey, type ServerKey } from './fixtures/channel-runtimes/node-side.js';
import { initiatorBytes, serveEcho, type Greeting } from './fixtures/channel-runtimes/protocol.js';

const TIMEOUT_MS = 60_000;
const runtime = probeChromium();
const backends: Record<'wasm' | 'noble', Backend> = { wasm: wasmBackend, noble: nobleBackend };
/** The server runs the other backend than the page, so each run is also wasm ↔ noble. */
const other = { wasm: 'noble', noble: 'wasm' } as const;

/** What the server saw on one connection. */
interface ServerView {
  backend: string;
  greeting?: Greeting;
  received?: Uint8Array;
  error?: { code: string | undefined; message: string };
  closeCode?: number;
}

describe.runIf(shouldRun(runtime, { what: 'channel in Chromium' }))('channel: Chromium page ↔ Node over WebSocket', () => {
  let dir = '';
  let metafile: Metafile;
  let staticServer: StaticServer | undefined;
  let wss: WebSocketServer | undefined;
  let browser: Browser | undefined;
  let wsUrl = '';
  let key: ServerKey;
  const views = new Map<string, Promise<ServerView>>();
  /** The server's view of connection `id`, or undefined when the page never connected. */
  const viewOf = async (id: string): Promise<ServerView | undefined> => {
    for (let i = 0; i < 50 && !views.has(id); i++) await new Promise((r) => setTimeout(r, 20));
    return views.get(id);
  };

  beforeAll(async () => {
    assertUsable(runtime);
    assertChannelBuilt();
    key = serverKey(nobleBackend);
    dir = mkdtempSync(join(tmpdir(), 'hybridkem-channel-chromium-'));
    metafile = await bundlePages(dir);
    const html = (name: string): string =>
      // onerror: a script that fails to load never sets __result.
      `<!doctype html><meta charset="utf-8"><title>channel ${name}</title><script type="module" src="/${name}.js" onerror="window.__result={error:'${name}.js did not load'}"></script>`;
    staticServer = await serve(dir, { routes: { '/wasm.html': html('wasm'), '/noble.html': html('noble') } });
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws: WebSocket, req) => {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      const name = query.get('backend') === 'wasm' ? 'wasm' : 'noble';
      const view: ServerView = { backend: backends[name].name };
      const closed = new Promise<void>((resolve) => ws.once('close', (code) => ((view.closeCode = code), resolve())));
      const run = (async () => {
        try {
          const channel = await acceptWebSocket(ws as never, {
            backend: backends[name],
            suites: ['X-Wing'],
            patterns: ['pqNK', 'pqIK', 'pqXX'],
            ciphers: ['ChaChaPoly', 'AESGCM'],
            hashes: ['SHA256', 'SHA512'],
            staticKeys: [{ suite: 'X-Wing', ...key }],
            // OpenSSL's ChaCha20-Poly1305 and SHA-256 here, @noble's in the page: the two implementations must agree.
            crypto: nodeCrypto,
          });
          Object.assign(view, await serveEcho(channel, backends[name].name));
        } catch (err) {
          view.error = { code: (err as { code?: string }).code, message: (err as Error).message };
        }
        await closed;
        return view;
      })();
      views.set(query.get('id') ?? '', run);
    });
    await new Promise((resolve) => wss!.once('listening', resolve));
    wsUrl = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`;
    browser = await launchChromium(TIMEOUT_MS);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (wss) {
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss!.close(resolve));
    }
    await staticServer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** Opens the page of `backend` and returns its result, with any page errors. */
  async function runPage(backend: 'wasm' | 'noble', pattern: string, id: string, publicKey = key.publicKey, cipher = 'ChaChaPoly', hash = 'SHA256'): Promise<{ result: PageResult | { error: string }; errors: string[] }> {
    const page = await browser!.newPage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`${err.name}: ${err.message}`));
      const ws = `${wsUrl}?backend=${other[backend]}&id=${id}`;
      await page.goto(`${staticServer!.origin}/${backend}.html?ws=${encodeURIComponent(ws)}&pattern=${pattern}&cipher=${cipher}&hash=${hash}&serverKey=${bytesToHex(publicKey)}`);
      const done = page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, undefined, { timeout: TIMEOUT_MS - 10_000, polling: 100 });
      const failed = new Promise<never>((_, reject) => page.once('pageerror', (err) => reject(new Error(`page error: ${err.message}\n${err.stack ?? ''}`))));
      await Promise.race([done, failed]);
      const result = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as PageResult | { error: string };
      return { result, errors };
    } finally {
      await page.close();
    }
  }

  it('the page bundles import nothing from node: and nothing outside the bundle; each carries only its backend', () => {
    const outputs = bundleImports(metafile);
    expect(Object.keys(outputs).sort()).toEqual(['noble.js', 'wasm.js']);
    for (const [file, { external, nodeInputs, inputs }] of Object.entries(outputs)) {
      expect(external, `${file}: imports left outside the bundle`).toEqual([]);
      expect(nodeInputs, `${file}: node: modules bundled`).toEqual([]);
      // The `./channel` export's default condition (built for any runtime), not its `node` one.
      expect(inputs).toContain('packages/transport/dist/channel/index.js');
      expect(inputs.filter((p) => p.startsWith('packages/transport/') && p !== 'packages/transport/dist/channel/index.js' && !p.includes('/test/fixtures/')), file).toEqual([]);
    }
    expect(outputs['wasm.js']!.inputs).toContain('packages/wasm/dist/index.js');
    expect(outputs['noble.js']!.inputs.some((p) => p.startsWith('packages/wasm/'))).toBe(false);
    expect(outputs['noble.js']!.inputs).toContain('packages/noble/dist/index.js');
  });

  let n = 0;
  // Each backend with each pattern; AES-256-GCM and SHA-512 once per backend.
  const cases = [
    ...(['wasm', 'noble'] as const).flatMap((backend) => (['pqNK', 'pqIK', 'pqXX'] as const).map((pattern) => ({ backend, pattern, cipher: 'ChaChaPoly' as const, hash: 'SHA256' as const }))),
    { backend: 'wasm', pattern: 'pqIK', cipher: 'AESGCM', hash: 'SHA512' },
    { backend: 'noble', pattern: 'pqXX', cipher: 'AESGCM', hash: 'SHA512' },
  ] as const;
  for (const { backend, pattern, cipher, hash } of cases) {
    it(`${pattern} ${cipher} ${hash}, page on ${backend} ↔ Node on ${other[backend]}: handshake, greeting and 70 KB echoed, same handshake hash, clean close`, async () => {
      const id = `${backend}-${pattern}-${n++}`;
      const { result, errors } = await runPage(backend, pattern, id, key.publicKey, cipher, hash);
      const view = await viewOf(id);
      expect('error' in result ? result.error : '', `page errors: ${errors.join('; ')}; server: ${JSON.stringify(view?.error)}`).toBe('');
      if (view === undefined) throw new Error('the page did not connect to the server');
      expect(view.error).toBeUndefined();
      const page = result as PageResult;
      const sent = initiatorBytes();
      // The page's view.
      expect(page.backend).toBe(backend);
      expect(page.pattern).toBe(pattern);
      expect(page.suite).toBe('X-Wing');
      expect(page.remoteStatic).toBe(bytesToHex(key.publicKey));
      expect(page.echo).toBe(bytesToHex(sent));
      expect(page.closeCode).toBe(1000);
      // The server's view, and the greeting the page read is the one the server sent.
      expect(view.backend).toBe(other[backend]);
      expect(page.greeting).toEqual(view.greeting);
      expect(view.greeting).toMatchObject({ backend: other[backend], pattern, suite: 'X-Wing', cipher, hash });
      expect(view.greeting!.handshakeHash).toBe(page.handshakeHash);
      expect(page.handshakeHash).toMatch(hash === 'SHA256' ? /^[0-9a-f]{64}$/ : /^[0-9a-f]{128}$/);
      expect(Buffer.from(view.received!).equals(Buffer.from(sent))).toBe(true);
      expect(view.closeCode).toBe(1000);
      if (pattern !== 'pqNK') {
        expect(page.localStatic).toMatch(/^[0-9a-f]{2432}$/);
        expect(view.greeting!.remoteStatic).toBe(page.localStatic);
      } else {
        expect(page.localStatic).toBe('');
        expect(view.greeting!.remoteStatic).toBe('');
      }
    }, TIMEOUT_MS);
  }

  it('pqNK with a server key that is not the server’s: the server fails the handshake (ERR_CHANNEL_HANDSHAKE), the page gets no data', async () => {
    const id = `wrong-key-${n++}`;
    const { result } = await runPage('wasm', 'pqNK', id, serverKey(nobleBackend).publicKey);
    const view = await viewOf(id);
    if (view === undefined) throw new Error(`the page did not connect to the server: ${JSON.stringify(result)}`);
    expect(view.error?.code).toBe('ERR_CHANNEL_HANDSHAKE');
    expect(view.received).toBeUndefined();
    expect('error' in result ? result.error : '').toMatch(/ERR_CHANNEL_/);
    expect(view.closeCode).toBe(4000);
  }, TIMEOUT_MS);
});
