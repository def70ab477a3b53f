import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/**
 * Whether Chromium can be used. Under CI=true a missing Chromium is an error
 * (throws), never a reason to skip.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${CHROMIUM_PATH} is missing; under CI=true the Chromium interop tests must run`);
  }
  return false;
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
 * Loads url in a fresh headless Chromium (certificate errors ignored for this
 * context only) with a net-log, and returns status, body text and the key
 * exchange groups of the TLS handshakes the net-log recorded. The browser is
 * always shut down, killed if it does not close in time.
 */
export async function fetchWithChromium(url: string, opts: { timeoutMs?: number; args?: readonly string[] } = {}): Promise<ChromiumFetchResult> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`fetchWithChromium: ${CHROMIUM_PATH} not found`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'hk-chromium-netlog-'));
  const netLog = join(dir, 'netlog.json');
  let server: BrowserServer | undefined;
  let browser: Browser | undefined;
  let status: number;
  let body: string;
  try {
    const work = async (): Promise<void> => {
      server = await chromium.launchServer({
        executablePath: CHROMIUM_PATH,
        headless: true,
        // The default net-log capture mode already records key_exchange_group
        // on SSL_CONNECT end events; no --net-log-capture-mode needed.
        args: [...CHROMIUM_FLAGS, ...(opts.args ?? []), `--log-net-log=${netLog}`],
        timeout: timeoutMs,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      browser = await chromium.connect(server.wsEndpoint(), { timeout: timeoutMs });
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const response = await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
      if (!response) throw new Error(`fetchWithChromium: no response for ${url}`);
      status = response.status();
      body = await response.text();
    };
    await withTimeout(work(), timeoutMs, `fetchWithChromium(${url})`);
  } finally {
    await shutDown(server, browser);
  }
  try {
    const text = readFileSync(netLog, 'utf8');
    return { status: status!, body: body!, keyExchangeGroups: keyExchangeGroupsFromNetLog(text) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`fetchManyWithChromium: ${CHROMIUM_PATH} not found`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'hk-chromium-netlog-'));
  const netLog = join(dir, 'netlog.json');
  let server: BrowserServer | undefined;
  let browser: Browser | undefined;
  const pages: Array<{ status: number; body: string } | { error: string }> = [];
  try {
    const work = async (): Promise<void> => {
      server = await chromium.launchServer({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_FLAGS, `--log-net-log=${netLog}`],
        timeout: timeoutMs,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      browser = await chromium.connect(server.wsEndpoint(), { timeout: timeoutMs });
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
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
    };
    await withTimeout(work(), timeoutMs * Math.max(1, urls.length), `fetchManyWithChromium(${urls.length} urls)`);
  } finally {
    await shutDown(server, browser);
  }
  try {
    const byAddress = keyExchangeGroupsByAddressFromNetLog(readFileSync(netLog, 'utf8'));
    return pages.map((page, i) => ({ ...page, keyExchangeGroups: byAddress.get(new URL(urls[i]!).host) ?? [] }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Like keyExchangeGroupsFromNetLog, keyed by the remote "host:port" of the
 * socket each SSL event belongs to (from that socket's TCP_CONNECT events).
 */
export function keyExchangeGroupsByAddressFromNetLog(text: string): Map<string, number[]> {
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
    const source = (e as { source?: { id?: unknown } }).source?.id;
    if (typeof source !== 'number' || typeof e.type !== 'number' || !tcpConnect.has(e.type)) continue;
    const p = e.params ?? {};
    const address = typeof p.remote_address === 'string' ? p.remote_address : typeof p.address === 'string' ? p.address : undefined;
    if (address !== undefined) addressBySource.set(source, address);
  }
  const out = new Map<string, number[]>();
  for (const e of events ?? []) {
    const g = e?.params?.key_exchange_group;
    if (typeof g !== 'number' || typeof e.type !== 'number' || !sslTypes.has(e.type)) continue;
    const source = (e as { source?: { id?: unknown } }).source?.id;
    const address = typeof source === 'number' ? (addressBySource.get(source) ?? '?') : '?';
    out.set(address, [...(out.get(address) ?? []), g]);
  }
  return out;
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

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function reapProcessGroup(pgid: number): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < 50 && groupExists(pgid); i++) await sleep(100);
  if (!groupExists(pgid)) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
  for (let i = 0; i < 50 && groupExists(pgid); i++) await sleep(100);
  if (groupExists(pgid)) throw new Error(`fetchWithChromium: Chromium process group ${pgid} did not exit`);
}

type NetLogEvent = { type?: unknown; params?: Record<string, unknown> };

/**
 * Extracts key_exchange_group values of SSL events from a Chromium net-log
 * (--log-net-log). Accepts a complete file and one truncated by a killed
 * browser (events are written one per line, so complete lines are kept).
 */
export function keyExchangeGroupsFromNetLog(text: string): number[] {
  let constants: { logEventTypes?: Record<string, number> } | undefined;
  let events: NetLogEvent[] | undefined;
  try {
    const whole = JSON.parse(text) as { constants?: typeof constants; events?: NetLogEvent[] };
    constants = whole.constants;
    events = whole.events;
  } catch {
    ({ constants, events } = parseTruncatedNetLog(text));
  }
  const sslTypes = new Set<number>();
  for (const [name, id] of Object.entries(constants?.logEventTypes ?? {})) {
    if (name.startsWith('SSL_')) sslTypes.add(id);
  }
  const groups: number[] = [];
  for (const e of events ?? []) {
    const g = e?.params?.key_exchange_group;
    if (typeof g !== 'number') continue;
    // Without constants (unlikely) accept any event carrying the field.
    if (sslTypes.size === 0 || (typeof e.type === 'number' && sslTypes.has(e.type))) groups.push(g);
  }
  return groups;
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
