// The HTML report draws what the bench measured: run the smoke bench with --out
// and --html, open the page in headless Chromium, read every bar back from the
// drawing alone (rect width against the axis's tick positions and tick labels)
// and compare it with the cell of the JSON, independently keyed here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { CHROMIUM, CHROMIUM_ARGS } from '../src/wasm-browser.mjs';
const bench = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'bench-html-'));
const jsonFile = path.join(dir, 'results.json');
const htmlFile = path.join(dir, 'report.html');
let report;
let browser;

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The smoke bench (a bounded wait; its process group is killed on timeout or failure). */
before(async () => {
  const child = spawn(process.execPath, ['src/index.mjs', '--smoke', '--out', jsonFile, '--html', htmlFile], { cwd: bench, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  // The report goes to stdout: on a failure its failure lines say which family failed and how.
  child.stdout.on('data', (d) => (stdout += d));
  // 10 minutes: the smoke run itself takes about a minute, but its native family
  // runs `cargo build --release --bin hybridkem-bench-core`, which in CI waits for
  // cargo's build-directory lock while @hybridkem/native's `cargo test --release`
  // compiles (LTO) at the same time; 180 s was not always enough.
  const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 600_000);
  try {
    const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? s)));
    const failureLines = stdout.split('\n').filter((l) => /fail|refus|problem|error|timeout/i.test(l));
    assert.equal(code, 0, `smoke bench failed: ${stderr.slice(-2000)}\nreport lines naming failures:\n${failureLines.slice(-40).join('\n')}`);
  } finally {
    clearTimeout(timer);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  report = JSON.parse(readFileSync(jsonFile, 'utf8'));
});

/** Every measured cell the report must draw, keyed as html-report.mjs documents, from the JSON only. */
function expectedCells(r) {
  const cells = new Map();
  const put = (id, value) => {
    assert.ok(!cells.has(id), `cell ${id} appears twice in the JSON`);
    cells.set(id, value);
  };
  for (const x of r.results) put(`kem|${x.suite}|${x.operation}|${x.implementation}`, x.opsPerSecond);
  for (const x of r.signing?.results ?? []) put(`signing|${x.suite}|${x.operation}|${x.implementation}`, x.opsPerSecond);
  for (const x of r.seal?.results ?? []) put(`seal|${x.payload}|${x.operation}|${x.implementation}`, x.megabytesPerSecond);
  if (r.bundle) {
    put('bundle|hybridkem', r.bundle.hybridkem.gzip / 1024);
    put('bundle|noble', r.bundle.noble.gzip / 1024);
  }
  for (const [kind, runs] of [['concurrent', r.transport?.runs ?? []], ['sequential', r.transport?.sequential?.runs ?? []]]) {
    for (const run of runs) for (const p of ['p50', 'p90', 'p99', 'p999']) if (Number.isFinite(run[p])) put(`transport|${kind}|${run.name}|${p}`, run[p]);
  }
  for (const x of r.channel?.handshakes ?? []) put(`channel|handshake|${x.implementation}`, x.handshakesPerSecond);
  for (const x of r.channel?.throughput?.rows ?? []) put(`channel|throughput|${x.messageSize}|${x.operation}|${x.implementation}`, x.megabytesPerSecond);
  for (const x of r.channel?.tcp?.rows ?? []) put(`channel|tcp|${x.name}`, x.megabytesPerSecond);
  for (const x of r.mesh?.rows ?? []) for (const op of ['issue', 'open']) if (x[op]) put(`mesh|${x.backend}|${op}`, x[op].opsPerSecond);
  return cells;
}

/**
 * The summary at the top repeats, as summary|<cell>, what html-report.mjs's header says it shows:
 * X-Wing encapsulate and decapsulate on every implementation, sealing at the largest payload with
 * AES-256-GCM next to the raw node:crypto rows, every channel handshake row, and the bundle.
 */
function expectedSummaryCells(r, cells) {
  const summary = new Map();
  const copy = (id) => {
    assert.ok(cells.has(id), `summary cell ${id} is not a measured cell`);
    summary.set(`summary|${id}`, cells.get(id));
  };
  for (const x of r.results) if (x.suite === 'X-Wing' && (x.operation === 'encapsulate' || x.operation === 'decapsulate')) copy(`kem|${x.suite}|${x.operation}|${x.implementation}`);
  const largest = Math.max(...(r.seal?.results ?? []).map((x) => x.payload));
  for (const x of r.seal?.results ?? []) if (x.payload === largest && (x.kind === 'raw' || x.aead === 'AES-256-GCM')) copy(`seal|${x.payload}|${x.operation}|${x.implementation}`);
  for (const x of r.channel?.handshakes ?? []) copy(`channel|handshake|${x.implementation}`);
  if (r.bundle) for (const id of ['bundle|hybridkem', 'bundle|noble']) copy(id);
  return summary;
}

test('every bar of every chart draws its measured cell, on a linear axis read from the ticks', async (t) => {
  const measured = expectedCells(report);
  // The smoke run covers all seven families; a family missing here would leave charts untested.
  for (const family of ['kem', 'signing', 'seal', 'bundle', 'transport', 'channel', 'mesh']) {
    assert.ok([...measured.keys()].some((id) => id.startsWith(`${family}|`)), `the smoke JSON has no ${family} cells`);
  }
  const summary = expectedSummaryCells(report, measured);
  for (const part of ['summary|kem|X-Wing|encapsulate|', 'summary|kem|X-Wing|decapsulate|', 'summary|seal|', 'summary|channel|handshake|', 'summary|bundle|']) {
    assert.ok([...summary.keys()].some((id) => id.startsWith(part)), `the summary would have no ${part} rows`);
  }
  const cells = new Map([...measured, ...summary]);
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') assert.fail(`Chromium not found at ${CHROMIUM} (CI=true: a missing runtime fails)`);
    t.skip(`Chromium not found at ${CHROMIUM}`);
    return;
  }
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const url = pathToFileURL(htmlFile).href;
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });

  // What the page draws, read from the SVG geometry: per chart, the ticks (x and label) and the bars.
  const charts = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => ({
      title: svg.getAttribute('aria-label'),
      ticks: [...svg.querySelectorAll('g.tick')].map((g) => ({
        x: Number(g.querySelector('line').getAttribute('x1')),
        label: g.querySelector('text').textContent,
      })),
      axisX0: Number(svg.querySelector('line.axis').getAttribute('x1')),
      bars: [...svg.querySelectorAll('rect.bar')].map((rect) => ({
        cell: rect.getAttribute('data-cell'),
        x: Number(rect.getAttribute('x')),
        width: rect.getBBox().width,
      })),
      markers: [...svg.querySelectorAll('g.marker')].map((g) => ({ cell: g.getAttribute('data-cell'), x: Number(g.querySelector('line').getAttribute('x1')) })),
    })),
  );
  assert.ok(charts.length >= 6, `only ${charts.length} charts drawn`);
  const drawn = new Map();
  for (const chart of charts) {
    // The scale as drawn: the first tick is 0 at the bars' origin, and every further tick lies on one line.
    const ticks = chart.ticks.map((tk) => ({ x: tk.x, value: Number(tk.label.replace(/[\s\u2009]/g, '')) }));
    assert.ok(ticks.length >= 2, `${chart.title}: fewer than two ticks`);
    assert.equal(ticks[0].value, 0, `${chart.title}: the axis does not start at 0`);
    const last = ticks.at(-1);
    const pxPerUnit = (last.x - ticks[0].x) / last.value;
    for (const tk of ticks) assert.ok(Math.abs(ticks[0].x + tk.value * pxPerUnit - tk.x) < 0.01, `${chart.title}: tick ${tk.value} is not on a linear scale`);
    for (const bar of chart.bars) {
      assert.ok(Math.abs(bar.x - ticks[0].x) < 0.01, `${chart.title}: bar ${bar.cell} does not start at 0`);
      assert.ok(!drawn.has(bar.cell), `cell ${bar.cell} drawn twice`);
      drawn.set(bar.cell, { value: bar.width / pxPerUnit, onePixel: 1 / pxPerUnit, chart: chart.title });
    }
    for (const m of chart.markers) drawn.set(m.cell, { value: (m.x - ticks[0].x) / pxPerUnit, onePixel: 1 / pxPerUnit, chart: chart.title });
  }
  // The bundle goal marker (noble's gzip × the goal), in its chart and in the summary's copy.
  for (const id of ['bundle|goal', 'summary|bundle|goal']) cells.set(id, (report.bundle.noble.gzip / 1024) * report.bundle.goal);
  for (const [cell, value] of cells) {
    const mark = drawn.get(cell);
    assert.ok(mark, `measured cell ${cell} has no mark`);
    assert.ok(Math.abs(mark.value - value) <= mark.onePixel, `${cell} (${mark.chart}): drawn ${mark.value}, measured ${value}, one pixel = ${mark.onePixel}`);
  }
  assert.deepEqual([...drawn.keys()].filter((c) => !cells.has(c)), [], 'marks that draw no measured cell');
  assert.equal(drawn.size, cells.size);

  // Every drawn cell is also in a table row next to its chart.
  const tableCells = await page.$$eval('table tr[data-cell]', (rows) => rows.map((r) => r.getAttribute('data-cell')));
  assert.deepEqual(new Set(tableCells), new Set([...cells.keys()].filter((c) => !c.endsWith('bundle|goal'))));

  // The summary (what the README's picture shows) holds the header and exactly the summary's bars.
  const summaryBars = await page.$$eval('#summary rect.bar', (rects) => rects.map((r) => r.getAttribute('data-cell')));
  assert.deepEqual(new Set(summaryBars), new Set([...summary.keys()]));
  assert.equal(await page.$$eval('#summary dl.meta', (els) => els.length), 1);

  // The header: date, machine, Node, load at start and end, mode, from the JSON.
  const header = await page.$eval('dl.meta', (dl) => dl.textContent);
  for (const text of [report.date, report.environment.cpu, `${report.environment.parallelism} cores`, report.environment.node, 'smoke', report.environment.loadAverageAtStart[0].toFixed(2), report.environment.loadAverage[0].toFixed(2)]) {
    assert.ok(header.includes(text), `header lacks ${text}`);
  }
  // Self-contained: the page itself is the only request; no script element either.
  assert.deepEqual(requests, [url]);
  assert.equal(await page.$$eval('script, link, img, iframe, object, embed', (els) => els.length), 0);
});

// The channel family (bench/src/channel.mjs) in the same smoke JSON: what the issue asks for, keyed from outside
// the bench's code: every pattern of spec/TRANSPORT.md §6.1 on every KEM backend that loaded, next to node:tls's
// X25519MLKEM768 handshake; both message sizes, each operation with its raw ChaCha20-Poly1305 row; the goal stated.
test('the channel family: every pattern on every loaded backend next to node:tls, and throughput next to raw ChaCha20-Poly1305', () => {
  const c = report.channel;
  assert.ok(c, 'the smoke JSON has no channel family');
  const loaded = report.backends.filter((b) => b.available).map((b) => b.name);
  assert.ok(loaded.length > 0);
  const tls = c.handshakes.filter((r) => r.kind === 'tls');
  assert.equal(tls.length, 1);
  assert.equal(tls[0].group, 'X25519MLKEM768');
  assert.equal(tls[0].baseline, true);
  for (const pattern of ['pqNK', 'pqIK', 'pqXX']) {
    const rows = c.handshakes.filter((r) => r.kind === 'channel' && r.pattern === pattern);
    assert.deepEqual(rows.map((r) => r.backend).sort(), [...loaded].sort(), `${pattern}: not every loaded backend was timed`);
    for (const r of rows) {
      assert.ok(r.handshakesPerSecond > 0 && r.samples >= 2, `${pattern} ${r.backend}: no figure`);
      // The ratio printed per line is this row's median over the TLS median of the same run.
      assert.ok(Math.abs(r.vsTls - r.medianMs / tls[0].medianMs) < 1e-9, `${pattern} ${r.backend}: ratio is not median / TLS median`);
    }
  }
  const t = c.throughput;
  assert.deepEqual(t.messageSizes, [16384, 65518]);
  assert.equal(t.goal, 0.8);
  for (const size of t.messageSizes) {
    for (const operation of ['encrypt', 'roundtrip']) {
      const rows = t.rows.filter((r) => r.messageSize === size && r.operation === operation);
      const raw = rows.filter((r) => r.kind === 'raw');
      assert.equal(raw.length, 1, `${size} ${operation}: one raw row`);
      assert.equal(rows.filter((r) => r.kind === 'channel' && r.defaultProvider).length, 1, `${size} ${operation}: one default-provider channel row`);
      for (const r of rows) {
        assert.ok(Math.abs(r.megabytesPerSecond - size / 1e6 / (r.medianMs / 1000)) < 1e-6, `${size} ${operation} ${r.implementation}: MB/s`);
        assert.ok(Math.abs(r.vsRaw - raw[0].medianMs / r.medianMs) < 1e-9, `${size} ${operation} ${r.implementation}: share of raw`);
      }
    }
    const goal = t.results.find((g) => g.messageSize === size);
    assert.equal(goal.met, goal.share >= 0.8, `${size}: goal met/not met does not follow the share`);
  }
  assert.deepEqual(c.tcp.rows.map((r) => r.name), ['channel', 'plain']);
});
