/**
 * A tiny static server on 127.0.0.1 (an ephemeral port), so that a browser
 * loads a test page, its scripts and any .wasm over HTTP with the content
 * types a real server sends (WebAssembly's streaming compile requires
 * `application/wasm`). Nothing is cached (`no-store`): each page load is a
 * cold one. Started and closed by the test.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  // WebAssembly.compileStreaming and instantiateStreaming refuse any other type.
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Paths requested, in order (to see what the page loaded). */
  requests: string[];
  close(): Promise<void>;
}

export interface ServeOptions {
  /**
   * In-memory bodies by exact path (e.g. a page's HTML, or JSON the page
   * fetches); the type follows the path's extension, HTML when it has none.
   * They take precedence over files.
   */
  routes?: Record<string, string>;
  /** Folders served under a path prefix ending in `/` (e.g. `/wasm/` → a package's root). */
  mounts?: Record<string, string>;
}

/**
 * Serves the files under `root` (a path ending in `/` is its index.html),
 * plus `routes` and `mounts`. Nothing outside `root` or a mounted folder is
 * served.
 */
export async function serve(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const { routes = {}, mounts = {} } = options;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    // `connection: close`: no socket is kept alive between requests. A kept-alive
    // one that the server drops after its keep-alive timeout while a client
    // (Node's fetch) reuses it fails that request with ECONNRESET, a race a
    // loaded CI machine hit between two tests of the same file.
    const send = (status: number, body: string | Buffer, type = 'text/plain'): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', connection: 'close' });
      res.end(body);
    };
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'bad path');
    }
    requests.push(path);
    const route = routes[path];
    if (route !== undefined) return send(200, route, TYPES[extname(path)] ?? 'text/html; charset=utf-8');
    const mount = Object.keys(mounts).find((prefix) => path.startsWith(prefix));
    const base = mount === undefined ? root : mounts[mount]!;
    const rest = mount === undefined ? path : path.slice(mount.length);
    const file = normalize(join(base, rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest));
    if (file !== base && !file.startsWith(base.endsWith(sep) ? base : base + sep)) return send(403, 'forbidden');
    readFile(file).then(
      (body) => send(200, body, TYPES[extname(file)] ?? 'application/octet-stream'),
      () => send(404, 'not found'),
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolveListen);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
