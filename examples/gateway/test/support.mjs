/** Test helpers: runtime lookup (CI=true makes a missing runtime a failure) and PromQL metric names. */
import { spawnSync } from 'node:child_process';

/**
 * Finds `command` on PATH. Returns undefined (the caller skips, printing why)
 * when it is missing outside CI; under CI=true a missing runtime fails.
 */
export function requireRuntime(t, command, hint) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8', timeout: 10_000 });
  if (found.status === 0) return found.stdout.trim();
  const why = `${command} not found on PATH (${hint})`;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${why}`);
  t.skip(why);
  console.log(`skipped: ${why}`);
  return undefined;
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'inf', 'nan']);

/**
 * The metric names a PromQL expression reads: identifiers that are not a
 * function call, a keyword, a label (in {...}, by/without/on/ignoring (...)),
 * a range/duration ([...]) or a number.
 */
export function metricNames(expr) {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:offset\s+-?[0-9a-z]+|@\s*[-+]?[0-9.e]+|@\s*(?:start|end)\(\s*\))/gi, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(?<![A-Za-z_:])[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?/gi, ' ');
  const names = new Set();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?/g)) {
    if (m[1]) continue; // a function call: rate(, sum(, histogram_quantile(
    if (PROMQL_WORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** The series names in a Prometheus text exposition. */
export function exposedNames(text) {
  const names = new Set();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    names.add(line.match(/^[A-Za-z_:][A-Za-z0-9_:]*/)[0]);
  }
  return names;
}

/** Every PromQL expr of a dashboard's panels, with the panel's title. */
export function dashboardExprs(dashboard) {
  return dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
}
