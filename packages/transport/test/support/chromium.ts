/**
 * Transport's Chromium driver: Debian's Chromium with the path and flags of
 * @hybridkem/test-runtimes/chromium and the CI rule of
 * @hybridkem/test-runtimes/runtime, plus what only these tests need: a
 * net-log (--log-net-log) read for the key exchange group of every TLS
 * handshake, and a shut-down that waits until Chromium's whole process group
 * is gone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processExists } from '@hybridkem/core/testing';
import { CHROMIUM, CHROMIUM_ARGS, probeChromium } from '@hybridkem/test-runtimes/chromium';
import { assertUsable, shouldRun, type Runtime } from '@hybridkem/test-runtimes/runtime';
import { chromium, type Browser, type BrowserContext, type BrowserServer } from 'playwright-core';

let probed: Runtime | undefined;

/**
 * Whether Chromium can be used (probed once). Under CI=true a missing
 * Chromium is an error (throws), never a reason to skip.
 */
export function chromiumAvailable(): boolean {
  const runtime = (probed ??= probeChromium());
  if (!shouldRun(runtime, { what: 'Chromium interop' })) return false;
  assertUsable(runtime);
  return true;
}

export interface ChromiumFetchResult {
  status: number;
  body: string;
  /** key_exchange_group of every SSL handshake event in the net-log, in order. */
  keyExchangeGroups: number[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Runs `use` on a browser context (certificate errors ignored) of a fresh
 * headless Chromium that writes a net-log, within `totalMs`, and returns the
 * net-log's text. The browser is always shut down, killed if it does not
 * close in time.
 */
async function withNetLoggingChromium(
  what: string,
  opts: { timeoutMs: number; totalMs: number; args?: readonly string[] },
  use: (context: BrowserContext) => Promise<void>,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hk-chromium-netlog-'));
  const netLog = join(dir, 'netlog.json');
  let server: BrowserServer | undefined;
  let browser: Browser | undefined;
  try {
    try {
      const work = async (): Promise<void> => {
        server = await chromium.launchServer({
          executablePath: CHROMIUM,
          headless: true,
          // The default net-log capture mode already records key_exchange_group
          // on SSL_CONNECT end events; no --net-log-capture-mode needed.
          args: [...CHROMIUM_ARGS, ...(opts.args ?? []), `--log-net-log=${netLog}`],
          timeout: opts.timeoutMs,
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        });
        browser = await chromium.connect(server.wsEndpoint(), { timeout: opts.timeoutMs });
        await use(await browser.newContext({ ignoreHTTPSErrors: true }));
      };
      await withTimeout(work(), opts.totalMs, what);
    } finally {
      await shutDown(server, browser);
    }
    return readFileSync(netLog, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads url in a fresh headless Chromium (certificate errors ignored for this
 * context only) with a net-log, and returns status, body text and the key
 * exchange groups of the TLS handshakes the net-log recorded. The browser is
 * always shut down, killed if it does not close in time.
 */
export async function fetchWithChromium(url: string, opts: { timeoutMs?: number; args?: readonly string[] } = {}): Promise<ChromiumFetchResult> {
  if (!chromiumAvailable()) throw new Error(`fetchWithChromium: ${CHROMIUM} not found`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let status: number;
  let body: string;
  const text = await withNetLoggingChromium(`fetchWithChromium(${url})`, { timeoutMs, totalMs: timeoutMs, args: opts.args ?? [] }, async (context) => {
    const page = await context.newPage();
    const response = await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
    if (!response) throw new Error(`fetchWithChromium: no response for ${url}`);
    status = response.status();
    body = await response.text();
  });
  return { status: status!, body: body!, keyExchangeGroups: keyExchangeGroupsFromNetLog(text) };
}

export type ChromiumManyResult = ChromiumFetchResult | { error: string; keyExchangeGroups: number[] };

/**
 * Loads each url in turn in one headless Chromium launch (one context,
 * certificate errors ignored, a fresh page per url) with a net-log, and
 * returns per url either status and body or the navigation error, each with
 * the key exchange groups of the TLS handshakes the net-log recorded for
 * sockets connected to that url's host:port. A failed navigation does not stop
 * the others. The browser is always shut down, killed if it does not close in
 * time. Urls must name distinct host:port pairs (IP literals: the net-log
 * records the connected address).
 */
export async function fetchManyWithChromium(urls: readonly string[], opts: { timeoutMs?: number } = {}): Promise<ChromiumManyResult[]> {
  if (!chromiumAvailable()) throw new Error(`fetchManyWithChromium: ${CHROMIUM} not found`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pages: Array<{ status: number; body: string } | { error: string }> = [];
  const text = await withNetLoggingChromium(
    `fetchManyWithChromium(${urls.length} urls)`,
    { timeoutMs, totalMs: timeoutMs * Math.max(1, urls.length) },
    async (context) => {
      for (const url of urls) {
        const page = await context.newPage();
        try {
          const response = await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
          if (!response) throw new Error(`no response for ${url}`);
          pages.push({ status: response.status(), body: await response.text() });
        } catch (error) {
          pages.push({ error: error instanceof Error ? error.message : String(error) });
        } finally {
          await page.close();
        }
      }
    },
  );
  const byAddress = keyExchangeGroupsByAddressFromNetLog(text);
  return pages.map((page, i) => ({ ...page, keyExchangeGroups: byAddress.get(new URL(urls[i]!).host) ?? [] }));
}

async function shutDown(server: BrowserServer | undefined, browser: Browser | undefined): Promise<void> {
  // Graceful close lets Chromium finish the net-log; kill if it hangs.
  try {
    if (browser) await withTimeout(browser.close(), 10_000, 'browser.close');
  } catch {
    /* fall through to server close / kill */
  }
  if (!server) return;
  try {
    await withTimeout(server.close(), 10_000, 'browserServer.close');
  } catch {
    /* kill below */
  }
  const proc = server.process();
  const pid = proc.pid;
  if (proc.exitCode === null && proc.signalCode === null) {
    // kill() sends SIGKILL to the whole process group and waits for exit.
    await withTimeout(server.kill(), 10_000, 'browserServer.kill').catch(() => {
      try {
        if (pid) process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    });
  }
  // Playwright starts Chromium as leader of its own process group. Helpers
  // (zygote, crashpad) outlive the browser briefly; wait until the whole group
  // is gone, killing stragglers, so no chromium process survives this call.
  if (pid) await reapProcessGroup(pid);
}

async function reapProcessGroup(pgid: number): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < 50 && processExists(-pgid); i++) await sleep(100);
  if (!processExists(-pgid)) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
  for (let i = 0; i < 50 && processExists(-pgid); i++) await sleep(100);
  if (processExists(-pgid)) throw new Error(`fetchWithChromium: Chromium process group ${pgid} did not exit`);
}

type NetLogEvent = { type?: unknown; source?: { id?: unknown }; params?: Record<string, unknown> };

/** One TLS handshake in a net-log: its key exchange group and its socket's remote "host:port" ('?' when unknown). */
export interface NetLogKeyExchange {
  group: number;
  address: string;
}

/**
 * The key_exchange_group of every SSL event of a Chromium net-log
 * (--log-net-log), in order, each with the remote "host:port" of the socket
 * it belongs to (from that socket's TCP_CONNECT events). Accepts a complete
 * file and one truncated by a killed browser (events are written one per
 * line, so complete lines are kept).
 */
export function keyExchangesFromNetLog(text: string): NetLogKeyExchange[] {
  let constants: { logEventTypes?: Record<string, number> } | undefined;
  let events: NetLogEvent[] | undefined;
  try {
    const whole = JSON.parse(text) as { constants?: typeof constants; events?: NetLogEvent[] };
    constants = whole.constants;
    events = whole.events;
  } catch {
    ({ constants, events } = parseTruncatedNetLog(text));
  }
  const types = constants?.logEventTypes ?? {};
  const sslTypes = new Set<number>();
  for (const [name, id] of Object.entries(types)) if (name.startsWith('SSL_')) sslTypes.add(id);
  const tcpConnect = new Set([types.TCP_CONNECT, types.TCP_CONNECT_ATTEMPT].filter((t): t is number => typeof t === 'number'));
  const addressBySource = new Map<number, string>();
  for (const e of events ?? []) {
    const source = e.source?.id;
    if (typeof source !== 'number' || typeof e.type !== 'number' || !tcpConnect.has(e.type)) continue;
    const p = e.params ?? {};
    const address = typeof p.remote_address === 'string' ? p.remote_address : typeof p.address === 'string' ? p.address : undefined;
    if (address !== undefined) addressBySource.set(source, address);
  }
  const out: NetLogKeyExchange[] = [];
  for (const e of events ?? []) {
    const group = e?.params?.key_exchange_group;
    if (typeof group !== 'number') continue;
    // Without constants (unlikely) accept any event carrying the field.
    if (sslTypes.size > 0 && !(typeof e.type === 'number' && sslTypes.has(e.type))) continue;
    const source = e.source?.id;
    out.push({ group, address: typeof source === 'number' ? (addressBySource.get(source) ?? '?') : '?' });
  }
  return out;
}

/** The key exchange groups of {@link keyExchangesFromNetLog}, in order. */
export function keyExchangeGroupsFromNetLog(text: string): number[] {
  return keyExchangesFromNetLog(text).map((e) => e.group);
}

/** The key exchange groups of {@link keyExchangesFromNetLog}, in order, by the remote "host:port" of their socket. */
export function keyExchangeGroupsByAddressFromNetLog(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const { group, address } of keyExchangesFromNetLog(text)) out.set(address, [...(out.get(address) ?? []), group]);
  return out;
}

function parseTruncatedNetLog(text: string): {
  constants: { logEventTypes?: Record<string, number> } | undefined;
  events: NetLogEvent[];
} {
  const marker = text.indexOf('"events"');
  if (marker < 0) throw new Error('net-log has no "events" section (Chromium wrote nothing usable)');
  let constants: { logEventTypes?: Record<string, number> } | undefined;
  const head = text.slice(0, marker).trimEnd().replace(/,$/, '');
  try {
    constants = (JSON.parse(`${head}}`) as { constants?: typeof constants }).constants;
  } catch {
    constants = undefined;
  }
  const start = text.indexOf('[', marker);
  const events: NetLogEvent[] = [];
  for (const raw of text.slice(start + 1).split('\n')) {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{')) continue;
    try {
      events.push(JSON.parse(line) as NetLogEvent);
    } catch {
      /* the last, partially written line */
    }
  }
  return { constants, events };
}
