/**
 * The human-readable report: one table, a summary line per backend and the
 * footnotes. (The JSON form is assembled in index.mjs.)
 * @module
 */

/** Plain-text table: a header line, a rule, then the rows. */
export function formatTable(columns, rows) {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((cell, i) => (columns[i].align === 'right' ? String(cell ?? '').padStart(widths[i]) : String(cell ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** "0.1523 ms", "1.234 ms", "12.34 ms", "123.4 ms" */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '-';
  const decimals = ms < 1 ? 4 : ms < 10 ? 3 : ms < 100 ? 2 : 1;
  return `${ms.toFixed(decimals)} ms`;
}

/** "37.8 KB" (1024 bytes to the KB). */
export function formatKb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function formatOps(opsPerSecond) {
  return Number.isFinite(opsPerSecond) ? Math.round(opsPerSecond).toLocaleString('en-US') : '-';
}

/**
 * The results table shared by every family: one row per suite × operation ×
 * implementation, grouped in that order.
 * @param {object[]} rows
 * @param {object} columns
 * @param {(row: object) => string} columns.label  the implementation column (with footnote marks)
 * @param {string} columns.ratioTitle  e.g. "vs noble hybrid"
 * @param {(row: object) => number | null | undefined} columns.ratio  median / baseline median; below 1 is faster
 */
export function resultsTable(rows, { label, ratioTitle, ratio }) {
  const cells = [];
  let lastSuite;
  let lastOperation;
  for (const row of rows) {
    const newSuite = row.suite !== lastSuite;
    if (newSuite && lastSuite !== undefined) cells.push([]);
    const r = ratio(row);
    cells.push([
      newSuite ? row.suite : '',
      newSuite || row.operation !== lastOperation ? row.operation : '',
      label(row),
      formatMs(row.medianMs),
      formatOps(row.opsPerSecond),
      `${((100 * row.madMs) / row.medianMs).toFixed(1)}%`,
      String(row.samples),
      row.baseline ? 'baseline' : r == null ? '-' : `x${r.toFixed(2)}`,
    ]);
    lastSuite = row.suite;
    lastOperation = row.operation;
  }
  return formatTable(
    [
      { title: 'suite' },
      { title: 'operation' },
      { title: 'implementation' },
      { title: 'median', align: 'right' },
      { title: 'ops/s', align: 'right' },
      { title: '±MAD', align: 'right' },
      { title: 'samples', align: 'right' },
      { title: ratioTitle, align: 'right' },
    ],
    cells,
  );
}

/** Geometric mean of each hybridkem backend's ratios to noble hybrid, per operation and overall. */
export function summaryLines(rows) {
  const lines = [];
  const backends = [...new Set(rows.filter((r) => r.kind === 'hybridkem').map((r) => r.backend))];
  for (const backend of backends) {
    const mine = rows.filter((r) => r.kind === 'hybridkem' && r.backend === backend && r.vsNobleHybrid != null);
    if (mine.length === 0) continue;
    const parts = ['keygen', 'encapsulate', 'decapsulate']
      .map((op) => [op, geomean(mine.filter((r) => r.operation === op).map((r) => r.vsNobleHybrid))])
      .filter(([, g]) => Number.isFinite(g))
      .map(([op, g]) => `${op} x${g.toFixed(2)}`);
    const suites = new Set(mine.map((r) => r.suite)).size;
    lines.push(
      `hybridkem (${backend}) vs noble hybrid, geometric mean over ${suites} suite${suites === 1 ? '' : 's'}: ` +
        `x${geomean(mine.map((r) => r.vsNobleHybrid)).toFixed(2)} (${parts.join(', ')})`,
    );
  }
  return lines;
}

export function geomean(values) {
  if (values.length === 0) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/**
 * Per suite, a backend's speed-up over the noble backend (noble median / its
 * median, both through createKem) for encapsulate and decapsulate, against a
 * goal when there is one (`goal` undefined: the figures alone): a header
 * line, then one line per suite. Reported, never asserted. Returns no lines
 * when the backend has no rows.
 */
export function speedupGoalLines(rows, { backend, label, goal, smoke }) {
  const lines = [];
  const find = (suite, op, name) =>
    rows.find((r) => r.suite === suite && r.operation === op && r.kind === 'hybridkem' && r.backend === name);
  const suites = [...new Set(rows.filter((r) => r.backend === backend).map((r) => r.suite))];
  if (suites.length === 0) return { lines, suites };
  const run = smoke ? '; SMOKE RUN: judge on a full run' : '';
  const ratio = `speed-up = hybridkem (noble) median / hybridkem (${backend}) median`;
  lines.push(
    goal === undefined
      ? `${label} speed-up over noble (reported${run}). ${ratio}.`
      : `${label} goals (reported, never asserted${run}). ${ratio}; goal ≥ ${goal}× for encapsulate and decapsulate.`,
  );
  for (const suite of suites) {
    const parts = [];
    let met = true;
    for (const op of ['encapsulate', 'decapsulate']) {
      const mine = find(suite, op, backend);
      const noble = find(suite, op, 'noble');
      if (!mine || !noble) {
        met = false;
        parts.push(`${op} -`);
        continue;
      }
      const speedup = noble.medianMs / mine.medianMs;
      if (!(speedup >= goal)) met = false;
      parts.push(`${op} ${speedup.toFixed(1)}×`);
    }
    lines.push(`  ${suite}: ${parts.join(', ')}${goal === undefined ? '' : `; goal ≥ ${goal}×: ${met ? 'met' : 'not met'}`}`);
  }
  return { lines, suites };
}
