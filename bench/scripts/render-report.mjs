/**
 * Regenerates bench/report/{results.json, report.html, report.png, report-full.png} in one go:
 *
 *   node scripts/render-report.mjs                         full bench run (about twelve minutes), then render
 *   node scripts/render-report.mjs --smoke                 smoke run (seconds; figures mean nothing), then render
 *   node scripts/render-report.mjs --from results.json     render an earlier run's JSON
 *        [--load-at-start 1.13,1.43,2.63]                  the load average at its start, for a JSON written
 *                                                          before index.mjs recorded it (e.g. from `uptime`)
 *        [--dir DIR] [--width 1400]                        output directory (default bench/report), page width
 *
 * The PNGs are screenshots of report.html in headless Debian Chromium
 * (playwright-core) at a fixed width: report.png its summary (<section id="summary">:
 * header, goals, the at-a-glance charts; the README's picture), report-full.png the
 * whole page. Every request other than the file itself is aborted, so the pictures
 * show only what the self-contained page draws.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderHtml } from '../src/html-report.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../src/wasm-browser.mjs';

const bench = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    'load-at-start': { type: 'string' },
    dir: { type: 'string' },
    width: { type: 'string', default: '1400' },
  },
});
const dir = path.resolve(args.dir ?? path.join(bench, 'report'));
const width = Number(args.width);
if (!Number.isInteger(width) || width < 600 || width > 4000) fail(`--width expects an integer from 600 to 4000, got "${args.width}"`);
mkdirSync(dir, { recursive: true });
const jsonFile = path.join(dir, 'results.json');

let report;
if (args.from !== undefined) {
  report = JSON.parse(readFileSync(args.from, 'utf8'));
} else {
  // A fresh run; its tables go to this terminal, its JSON straight to results.json.
  const run = spawnSync(process.execPath, ['src/index.mjs', ...(args.smoke ? ['--smoke'] : []), '--out', jsonFile], { cwd: bench, stdio: 'inherit' });
  if (run.status !== 0) fail(`the bench run failed (exit ${run.status ?? run.signal})`);
  report = JSON.parse(readFileSync(jsonFile, 'utf8'));
}
if (report?.schema !== 'hybridkem-bench/1') fail(`not a hybridkem-bench/1 report (schema ${JSON.stringify(report?.schema)})`);
if (args['load-at-start'] !== undefined) {
  const load = args['load-at-start'].split(',').map(Number);
  if (load.length !== 3 || !load.every((v) => Number.isFinite(v) && v >= 0)) fail(`--load-at-start expects three numbers "1m,5m,15m", got "${args['load-at-start']}"`);
  if (Array.isArray(report.environment.loadAverageAtStart)) fail('the report already records its load average at start');
  report.environment.loadAverageAtStart = load;
  report.environment.loadAverageAtStartSource = 'given to render-report, not measured by the bench';
}
writeFileSync(jsonFile, JSON.stringify(report, null, 2) + '\n');
const htmlFile = path.join(dir, 'report.html');
writeFileSync(htmlFile, renderHtml(report));
const pngFile = path.join(dir, 'report.png');
const fullPngFile = path.join(dir, 'report-full.png');

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
try {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  const url = pathToFileURL(htmlFile).href;
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.locator('#summary').screenshot({ path: pngFile, timeout: 60_000 });
  await page.screenshot({ path: fullPngFile, fullPage: true, timeout: 60_000 });
} finally {
  await browser.close();
}
for (const file of [jsonFile, htmlFile, pngFile, fullPngFile]) console.log(`wrote ${path.relative(process.cwd(), file)}`);

function fail(message) {
  console.error(`render-report: ${message}`);
  process.exit(1);
}
