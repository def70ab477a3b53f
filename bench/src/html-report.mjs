/**
 * The bench's JSON report (index.mjs report(), schema hybridkem-bench/1) as one
 * self-contained HTML page: inline CSS and inline SVG bar charts, no script and
 * no network needed to view it (so it can be attached, archived or screenshotted).
 *
 * Every chart is a horizontal bar chart on a LINEAR axis starting at 0 (a bar's
 * length is proportional to its value, so bars compare honestly); next to it the
 * table of the cells it draws. Each bar (<rect>) and each table row carries
 * data-cell="<id>" naming the measured cell of the JSON it draws:
 *
 *   kem|<suite>|<operation>|<implementation>        results[].opsPerSecond
 *   signing|<suite>|<operation>|<implementation>    signing.results[].opsPerSecond
 *   seal|<payload>|<operation>|<implementation>     seal.results[].megabytesPerSecond
 *   bundle|hybridkem, bundle|noble                  bundle.<which>.gzip / 1024 (KB)
 *   transport|concurrent|<run>|<p50|p90|p99|p999>   transport.runs[] (ms)
 *   transport|sequential|<run>|<p50|p90|p99|p999>   transport.sequential.runs[] (ms)
 *   channel|handshake|<implementation>              channel.handshakes[].handshakesPerSecond
 *   channel|throughput|<size>|<operation>|<impl.>   channel.throughput.rows[].megabytesPerSecond
 *   channel|tcp|<channel|plain>                     channel.tcp.rows[].megabytesPerSecond
 *   mesh|<backend>|<issue|open>                     mesh.rows[].<issue|open>.opsPerSecond
 *   summary|<any id above>                          the same cell again, in the summary at the top
 *
 * The summary (<section id="summary">: the header, the goals and a few charts)
 * is what the README's picture shows; its charts repeat chosen rows of the
 * charts below: the default suite's encapsulation and decapsulation, sealing
 * with AES-256-GCM at the largest payload next to raw AES-256-GCM, the channel's
 * handshakes next to TLS, and the bundle.
 *
 * Axis ticks are <g class="tick"> with a <line> at the tick's x and a <text> label
 * of its value, so the value of a bar can be read back from the drawing alone
 * (bench/test/html-report.test.mjs does exactly that in Chromium).
 */

const LABEL_WIDTH = 380; // px for the row labels left of the plot
const PLOT_WIDTH = 400; // px of the axis from 0 to its last tick
const VALUE_WIDTH = 150; // px right of the plot for the value text
const ROW = 16; // px per bar row
const TOP = 8;
const AXIS = 26; // px below the rows for tick labels

/** HTML / XML escaping for text and attribute values. */
function esc(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A number for people: 3 significant digits, thousands grouped with a thin space. */
export function formatNumber(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const [int, frac] = value.toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** A tick step of 1, 2, 2.5 or 5 × 10^k such that about five steps cover max. */
function niceAxis(max) {
  if (!(max > 0)) return { step: 1, end: 1 };
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return { step, end: Math.ceil(max / step - 1e-9) * step };
}

/** A tick label: the tick value exactly (steps are 1/2/2.5/5 × 10^k, so few digits). */
function tickLabel(value) {
  const text = Number(value.toPrecision(12)).toString();
  return text.includes('e') ? value.toFixed(12).replace(/0+$/, '') : text.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/**
 * One SVG bar chart.
 * @param {{ title: string, unit: string, rows: { cell: string, label: string, value: number, note?: string }[], marker?: { cell: string, label: string, value: number } }} chart
 */
function svgChart(chart) {
  const values = chart.rows.map((r) => r.value).concat(chart.marker ? [chart.marker.value] : []);
  const { step, end } = niceAxis(Math.max(0, ...values.filter(Number.isFinite)));
  // A marker (the bundle goal) gets a strip above the rows for its label.
  const top = TOP + (chart.marker ? 14 : 0);
  const x = (v) => LABEL_WIDTH + (v / end) * PLOT_WIDTH;
  const height = top + chart.rows.length * ROW + AXIS;
  const width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const parts = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `role="img" aria-label="${esc(chart.title)}" data-unit="${esc(chart.unit)}">`,
  );
  // Ticks: a grid line and a label of the tick's value (linear from 0).
  const axisY = top + chart.rows.length * ROW;
  for (let v = 0; v <= end + step / 2; v += step) {
    const tx = x(v).toFixed(2);
    parts.push(
      `<g class="tick"><line x1="${tx}" x2="${tx}" y1="${top - 2}" y2="${axisY + 4}" stroke="#ddd"/>` +
        `<text x="${tx}" y="${axisY + 16}" text-anchor="middle">${tickLabel(v)}</text></g>`,
    );
  }
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y1="${axisY}" y2="${axisY}" stroke="#888"/>`);
  chart.rows.forEach((row, i) => {
    const y = top + i * ROW;
    const w = Number.isFinite(row.value) ? (row.value / end) * PLOT_WIDTH : 0;
    parts.push(
      `<text class="label" x="${LABEL_WIDTH - 6}" y="${y + ROW - 4}" text-anchor="end">${esc(row.label)}</text>` +
        `<rect class="bar${row.baseline ? ' baseline' : ''}" data-cell="${esc(row.cell)}" x="${LABEL_WIDTH}" y="${y + 2}" ` +
        `width="${w.toFixed(3)}" height="${ROW - 4}"><title>${esc(`${row.label}: ${formatNumber(row.value)} ${chart.unit}`)}</title></rect>` +
        `<text class="value" x="${(LABEL_WIDTH + w + 4).toFixed(2)}" y="${y + ROW - 4}">${esc(formatNumber(row.value))}${row.note ? ` · ${esc(row.note)}` : ''}</text>`,
    );
  });
  if (chart.marker) {
    const mx = x(chart.marker.value).toFixed(2);
    parts.push(
      `<g class="marker" data-cell="${esc(chart.marker.cell)}"><line x1="${mx}" x2="${mx}" y1="${top - 12}" y2="${axisY}" stroke="#c0392b" stroke-width="2" stroke-dasharray="4 3"/>` +
        `<text x="${mx}" y="${top - 4}" dx="4" fill="#c0392b">${esc(chart.marker.label)}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The table of the cells a chart draws: label, value, then the chart's extra columns. */
function table(chart) {
  const extra = chart.columns ?? [];
  const head = `<tr><th>${esc(chart.rowHeader ?? 'row')}</th><th>${esc(chart.unit)}</th>${extra.map((c) => `<th>${esc(c.title)}</th>`).join('')}</tr>`;
  const body = chart.rows
    .map(
      (r) =>
        `<tr data-cell="${esc(r.cell)}"${r.baseline ? ' class="baseline"' : ''}><td>${esc(r.label)}</td><td class="n">${esc(formatNumber(r.value))}</td>` +
        extra.map((c) => `<td class="n">${esc(c.value(r))}</td>`).join('') +
        '</tr>',
    )
    .join('');
  return `<table>${head}${body}</table>`;
}

function figure(chart) {
  return (
    `<figure class="pair"><div><figcaption>${esc(chart.title)} <span class="unit">(${esc(chart.unit)}, linear axis from 0)</span></figcaption>` +
    `${svgChart(chart)}</div>${table(chart)}</figure>`
  );
}

const ratio = (v) => (v === null || v === undefined ? '—' : `${formatNumber(v)}×`);
const ms = (v) => (v === null || v === undefined ? '—' : formatNumber(v));

/** KEM charts: one per suite × operation, bars = ops/s per implementation, ratio vs noble's hybrid preset. */
function kemCharts(report) {
  const charts = [];
  const suites = [...new Set(report.results.map((r) => r.suite))];
  for (const suite of suites) {
    for (const operation of [...new Set(report.results.filter((r) => r.suite === suite).map((r) => r.operation))]) {
      const rows = report.results
        .filter((r) => r.suite === suite && r.operation === operation)
        .map((r) => ({
          cell: `kem|${r.suite}|${r.operation}|${r.implementation}`,
          label: r.implementation + (r.baseline ? ' (baseline)' : ''),
          value: r.opsPerSecond,
          baseline: r.baseline,
          note: r.vsNobleHybrid === null || r.vsNobleHybrid === undefined ? undefined : `${formatNumber(r.vsNobleHybrid)}× time`,
          source: r,
        }));
      charts.push({
        key: `kem|${suite}|${operation}`,
        title: `${suite} — ${operation}`,
        unit: 'ops/s',
        rowHeader: 'implementation',
        rows,
        columns: [
          { title: 'median ms', value: (r) => ms(r.source.medianMs) },
          { title: 'time vs noble hybrid', value: (r) => ratio(r.source.vsNobleHybrid) },
        ],
      });
    }
  }
  return charts;
}

/** Composite signatures: one chart per operation, bars = ops/s per suite × implementation. */
function signingCharts(report) {
  const results = report.signing?.results ?? [];
  return [...new Set(results.map((r) => r.operation))].map((operation) => ({
    title: `Composite signatures — ${operation} (${report.signing.messageLength} B message)`,
    unit: 'ops/s',
    rowHeader: 'suite / implementation',
    rows: results
      .filter((r) => r.operation === operation)
      .map((r) => ({
        cell: `signing|${r.suite}|${r.operation}|${r.implementation}`,
        label: `${r.suite} · ${r.implementation}`,
        value: r.opsPerSecond,
        baseline: r.baseline,
        note: r.vsMlDsa === null || r.vsMlDsa === undefined ? undefined : `${formatNumber(r.vsMlDsa)}× time`,
        source: r,
      })),
    columns: [
      { title: 'median ms', value: (r) => ms(r.source.medianMs) },
      { title: 'time vs ML-DSA alone', value: (r) => ratio(r.source.vsMlDsa) },
    ],
  }));
}

/** Sealed messages: one chart per payload, bars = MB/s per operation × implementation (raw node:crypto included). */
function sealCharts(report) {
  const results = report.seal?.results ?? [];
  return [...new Set(results.map((r) => r.payload))].map((payload) => ({
    key: `seal|${payload}`,
    payload,
    title: `Sealed messages — ${formatBytes(payload)} payload`,
    unit: 'MB/s',
    rowHeader: 'operation / implementation',
    rows: results
      .filter((r) => r.payload === payload)
      .map((r) => ({
        cell: `seal|${r.payload}|${r.operation}|${r.implementation}`,
        label: `${r.operation} · ${r.implementation}`,
        value: r.megabytesPerSecond,
        baseline: r.baseline,
        note: r.vsRawAesGcm === null || r.vsRawAesGcm === undefined ? undefined : `${formatNumber(r.vsRawAesGcm)}× raw`,
        source: r,
      })),
    columns: [
      { title: 'mode', value: (r) => r.source.mode ?? '' },
      { title: 'throughput vs raw AES-256-GCM per chunk', value: (r) => ratio(r.source.vsRawAesGcm) },
    ],
  }));
}

function formatBytes(n) {
  return n >= 1024 * 1024 ? `${n / 1024 / 1024} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
}

/** Bundle size: gzipped KB of hybridkem vs noble's page, the goal (noble × goal) as a marker line. */
function bundleCharts(report) {
  const b = report.bundle;
  if (!b?.hybridkem || !b?.noble) return [];
  const kb = (n) => n / 1024;
  return [
    {
      key: 'bundle',
      title: 'Browser bundle of an X-Wing round trip (gzip)',
      unit: 'KB (gzip, 1 KB = 1024 B)',
      rowHeader: 'bundle',
      rows: [
        { cell: 'bundle|hybridkem', label: '@hybridkem/core + noble/x-wing', value: kb(b.hybridkem.gzip), note: `${formatNumber(b.ratio)}× noble`, source: b.hybridkem },
        { cell: 'bundle|noble', label: '@noble/post-quantum ml_kem768_x25519', value: kb(b.noble.gzip), baseline: true, source: b.noble },
      ],
      marker: { cell: 'bundle|goal', label: `goal ≤ ${b.goal}× noble`, value: kb(b.noble.gzip) * b.goal },
      columns: [{ title: 'bytes (minified)', value: (r) => formatNumber(r.source.bytes) }],
    },
  ];
}

/** Transport: handshake latency percentiles per run, concurrent and sequential. */
function transportCharts(report) {
  const t = report.transport;
  if (!t?.runs) return [];
  const make = (kind, runs, title) => ({
    title,
    unit: 'ms',
    rowHeader: 'run / percentile',
    rows: runs.flatMap((run) =>
      ['p50', 'p90', 'p99', 'p999']
        .filter((p) => Number.isFinite(run[p]))
        .map((p) => ({
          cell: `transport|${kind}|${run.name}|${p}`,
          label: `${run.label ?? run.name} ${p === 'p999' ? 'p99.9' : p}`,
          value: run[p],
          baseline: run.name === 'baseline',
          source: run,
        })),
    ),
    columns: [{ title: 'handshakes/s', value: (r) => formatNumber(r.source.handshakesPerSecond) }],
  });
  const charts = [make('concurrent', t.runs, `TLS 1.3 handshake latency, ${t.connections} connections at once`)];
  if (t.sequential?.runs) charts.push(make('sequential', t.sequential.runs, `TLS 1.3 handshake latency, ${t.sequential.connections} connections one at a time`));
  return charts;
}

/** Channel: handshakes/s per pattern and backend next to node:tls; throughput per message size next to raw ChaCha20-Poly1305; loopback TCP. */
function channelCharts(report) {
  const c = report.channel;
  if (!c?.handshakes) return [];
  const charts = [
    {
      key: 'channel|handshake',
      title: `Channel handshakes over loopback TCP (${c.suite}, ${c.cipher}, ${c.hash}) vs node:tls TLS 1.3 X25519MLKEM768`,
      unit: 'handshakes/s',
      rowHeader: 'pattern / implementation',
      rows: c.handshakes.map((r) => ({
        cell: `channel|handshake|${r.implementation}`,
        label: r.implementation + (r.baseline ? ' (baseline)' : ''),
        value: r.handshakesPerSecond,
        baseline: r.baseline,
        note: r.baseline ? undefined : `${formatNumber(r.vsTls)}× time`,
        source: r,
      })),
      columns: [
        { title: 'median ms', value: (r) => ms(r.source.medianMs) },
        { title: 'time vs TLS', value: (r) => ratio(r.source.vsTls) },
      ],
    },
  ];
  for (const size of c.throughput?.messageSizes ?? []) {
    charts.push({
      title: `Channel transport messages of ${size} B (sans-IO) vs raw ChaCha20-Poly1305`,
      unit: 'MB/s',
      rowHeader: 'operation / implementation',
      rows: c.throughput.rows
        .filter((r) => r.messageSize === size)
        .map((r) => ({
          cell: `channel|throughput|${r.messageSize}|${r.operation}|${r.implementation}`,
          label: `${r.operation} · ${r.implementation}`,
          value: r.megabytesPerSecond,
          baseline: r.baseline,
          note: r.baseline ? undefined : `${formatNumber(100 * r.vsRaw)} % of raw`,
          source: r,
        })),
      columns: [{ title: 'share of raw', value: (r) => `${formatNumber(100 * r.source.vsRaw)} %` }],
    });
  }
  if (c.tcp?.rows) {
    charts.push({
      title: `${formatBytes(c.tcp.volume)} over loopback TCP`,
      unit: 'MB/s',
      rowHeader: 'connection',
      rows: c.tcp.rows.map((r) => ({ cell: `channel|tcp|${r.name}`, label: r.implementation, value: r.megabytesPerSecond, baseline: r.baseline, source: r })),
      columns: [{ title: 'median ms', value: (r) => ms(r.source.medianMs) }],
    });
  }
  return charts;
}

/** Mesh: key envelopes issued and opened per second per backend. */
function meshCharts(report) {
  const rows = report.mesh?.rows ?? [];
  if (rows.length === 0) return [];
  return [
    {
      title: 'Mesh key envelopes (X-Wing HPKE + MLDSA65-Ed25519-SHA512)',
      unit: 'ops/s',
      rowHeader: 'backend / operation',
      rows: rows.flatMap((r) =>
        ['issue', 'open'].filter((op) => r[op]).map((op) => ({ cell: `mesh|${r.backend}|${op}`, label: `${r.backend} · ${op}`, value: r[op].opsPerSecond, source: r[op] })),
      ),
      columns: [{ title: 'median ms', value: (r) => ms(r.source.medianMs) }],
    },
  ];
}

/** Every chart of a report by section, in page order, without the summary's copies. */
export function chartsOf(report) {
  return {
    kem: kemCharts(report),
    signing: signingCharts(report),
    seal: sealCharts(report),
    bundle: bundleCharts(report),
    transport: transportCharts(report),
    channel: channelCharts(report),
    mesh: meshCharts(report),
  };
}

/** The suite the summary shows: core's default and the README's (spec/WIRE-FORMAT.md §1). */
export const SUMMARY_SUITE = 'X-Wing';
/** The AEAD of the summary's sealing chart: the one seal's throughput goal is judged on (bench/src/seal.mjs). */
export const SUMMARY_AEAD = 'AES-256-GCM';

/** A chart again under summary|… ids, with only the rows `keep` accepts. */
function summaryCopy(chart, keep = () => true) {
  const prefix = (cell) => `summary|${cell}`;
  return {
    ...chart,
    rows: chart.rows.filter(keep).map((r) => ({ ...r, cell: prefix(r.cell) })),
    marker: chart.marker ? { ...chart.marker, cell: prefix(chart.marker.cell) } : undefined,
  };
}

/** The summary's charts, picked from the page's charts (see the header comment). */
function summaryCharts(charts) {
  const picked = [];
  for (const operation of ['encapsulate', 'decapsulate']) {
    const kem = charts.kem.find((c) => c.key === `kem|${SUMMARY_SUITE}|${operation}`);
    if (kem) picked.push(summaryCopy(kem));
  }
  const largest = charts.seal.reduce((a, c) => (a === undefined || c.payload > a.payload ? c : a), undefined);
  if (largest) {
    const aes256 = summaryCopy(largest, (r) => r.source.kind === 'raw' || r.source.aead === SUMMARY_AEAD);
    picked.push({ ...aes256, title: `${largest.title}, ${SUMMARY_AEAD}` });
  }
  const handshakes = charts.channel.find((c) => c.key === 'channel|handshake');
  if (handshakes) picked.push(summaryCopy(handshakes));
  const bundle = charts.bundle.find((c) => c.key === 'bundle');
  if (bundle) picked.push(summaryCopy(bundle));
  return picked;
}

const load = (l) => (Array.isArray(l) ? l.map((v) => v.toFixed(2)).join(', ') : 'not recorded');

const CSS = `
body{font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;margin:16px 24px;background:#fff}
h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ccc}
.meta{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:6px 0 4px}.meta dt{color:#666}.meta dd{margin:0}
figure.pair{display:flex;gap:18px;align-items:flex-start;margin:8px 0 14px}
figcaption{font-weight:600;margin-bottom:2px}.unit{font-weight:400;color:#666}
svg.chart text{font-size:11px;fill:#333}svg.chart text.value{fill:#555}
rect.bar{fill:#3b7dd8}rect.bar.baseline{fill:#999}
table{border-collapse:collapse;font-size:11px}th,td{border:1px solid #ddd;padding:1px 6px;text-align:left}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}tr.baseline td{color:#666}
p.note{color:#555;max-width:1100px;margin:4px 0}
`;

/**
 * The whole page.
 * @param {any} report the JSON of index.mjs's report()
 * @returns {string} a self-contained HTML document
 */
export function renderHtml(report) {
  const env = report.environment ?? {};
  const charts = chartsOf(report);
  const section = (title, list, intro = '') =>
    list.length === 0 ? `<h2>${esc(title)}</h2><p class="note">not run</p>` : `<h2>${esc(title)}</h2>${intro}${list.map(figure).join('')}`;
  const goals = [];
  if (report.seal?.goal) {
    const g = report.seal.goal;
    goals.push(
      `Sealed messages: goal ≥ ${formatNumber(g.shareOfRawAesGcm * 100)} % of ${esc(g.peer)} at ${formatBytes(g.payload ?? 0)}: ` +
        (g.results ?? []).map((r) => `${esc(r.implementation)} ${r.met ? 'met' : 'not met'}`).join('; '),
    );
  }
  if (report.bundle?.ratio) goals.push(`Bundle: ${formatNumber(report.bundle.ratio)}× noble, goal ≤ ${report.bundle.goal}× (${report.bundle.met ? 'met' : 'not met'})`);
  if (report.transport?.ratio !== undefined) {
    goals.push(
      `Transport: hybrid p99 / classical p99 = ${formatNumber(report.transport.ratio)}, goal ≤ ${report.transport.goal} (${report.transport.goalMet ? 'met' : 'not met'})`,
    );
  }
  if (report.channel?.throughput?.results) {
    const t = report.channel.throughput;
    goals.push(
      `Channel: encrypt + decrypt ≥ ${formatNumber(t.goal * 100)} % of raw ChaCha20-Poly1305: ` +
        t.results.map((g) => `${g.messageSize} B ${formatNumber(100 * g.share)} % (${g.met ? 'met' : 'not met'})`).join('; '),
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hybridkem bench — ${esc(report.mode)} run, ${esc(report.date)}</title>
<style>${CSS}</style></head><body>
<section id="summary">
<h1>hybridkem bench report</h1>
<dl class="meta">
<dt>date</dt><dd>${esc(report.date)}</dd>
<dt>mode</dt><dd>${esc(report.mode)}${report.mode === 'smoke' ? ' (a few ms per cell: shows that it runs, not how fast)' : ''}; families: ${esc((report.families ?? []).join(', '))}; ${esc(formatNumber(report.elapsedSeconds))} s</dd>
<dt>machine</dt><dd>${esc(env.cpu ?? 'unknown CPU')}, ${esc(env.parallelism ?? '?')} cores, ${esc(env.platform ?? '')} ${esc(env.arch ?? '')}</dd>
<dt>Node</dt><dd>${esc(env.node ?? '?')} (V8 ${esc(env.v8 ?? '?')})</dd>
<dt>load average</dt><dd>at start ${esc(load(env.loadAverageAtStart))}${env.loadAverageAtStartSource ? ` (${esc(env.loadAverageAtStartSource)})` : ''}; at end ${esc(load(env.loadAverageAtEnd ?? env.loadAverage))} (1, 5, 15 min)</dd>
<dt>settings</dt><dd>${esc(`${report.settings?.rounds} rounds × ${report.settings?.time} ms per implementation`)}</dd>
</dl>
${goals.map((g) => `<p class="note">${g}</p>`).join('')}
<p class="note">Bars are drawn on linear axes from 0; grey bars are the baselines of the ratios. Ratios of KEM and signature rows are of median time (below 1 = faster than the baseline).</p>
${section('At a glance', summaryCharts(charts), '<p class="note">Rows repeated from the sections below.</p>')}
</section>
${section('KEMs: operations per second', charts.kem)}
${section('Composite signatures: operations per second', charts.signing)}
${section('Sealed messages: throughput', charts.seal)}
${section('Bundle size', charts.bundle)}
${section('Transport: handshake latency', charts.transport)}
${section('Channel: handshakes and throughput', charts.channel)}
${section('Mesh: key envelopes per second', charts.mesh)}
</body></html>
`;
}
