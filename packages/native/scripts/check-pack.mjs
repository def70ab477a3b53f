#!/usr/bin/env node
/**
 * prepack guard: refuses to pack @hybridkem/native without a linux-x64
 * prebuilt binary built from the current sources. Installing the package
 * never compiles, so a tarball without it would install a backend that can
 * never load on the one platform CI builds for on every run.
 *
 *   node scripts/check-pack.mjs [packageDir]   (default: this package)
 *
 * Every prebuilds/<target>/ binary present (linux-x64 required, others such as
 * linux-arm64 from `pnpm prebuild:arm64` optional) must be a non-empty ELF
 * shared object for its architecture whose SHA-256 and sources digest
 * build/prebuild-stamp.json records, and that sources digest must be today's
 * (scripts/prebuild-files.mjs). Exits 0 when all hold; otherwise prints one
 * line per problem and exits 1.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileDigest, packageDir as ownDir, prebuildPath, sourcesDigest, stampPath } from './prebuild-files.mjs';

const dir = path.resolve(process.argv[2] ?? ownDir);
const REQUIRED = 'linux-x64';
/** ELF e_machine per prebuilds/ target. */
const MACHINES = { 'linux-x64': 62, 'linux-arm64': 183 };

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampPath(dir), 'utf8'));
  } catch {
    return {};
  }
}

let currentSources;
function problem(target, stamp) {
  const [platform, arch] = target.split('-');
  const relative = prebuildPath(platform, arch);
  const file = path.join(dir, relative);
  let size;
  try {
    size = statSync(file).size;
  } catch {
    return `${relative} is missing`;
  }
  if (size === 0) return `${relative} is empty`;
  const head = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (head.readUInt32BE(0) !== 0x7f454c46) return `${relative} is not an ELF file`;
  const machine = head.readUInt16LE(18);
  if (MACHINES[target] !== undefined && machine !== MACHINES[target]) return `${relative} is for ELF machine ${machine}, not ${target}`;
  const entry = stamp[target];
  if (!entry) return `${relative} has no record in build/prebuild-stamp.json (not made by scripts/build-addon.mjs or prebuild-arm64.sh)`;
  if (entry.sha256 !== fileDigest(file)) return `${relative} is not the binary the last build made (SHA-256 differs from build/prebuild-stamp.json)`;
  currentSources ??= sourcesDigest();
  if (entry.sources !== currentSources) return `${relative} was built from other sources than the current ones`;
  return undefined;
}

const stamp = readStamp();
let present = [];
try {
  present = readdirSync(path.join(dir, 'prebuilds'));
} catch {
  // no prebuilds/ at all: the required target is reported missing below
}
const targets = [...new Set([REQUIRED, ...present])].sort();
const problems = targets.map((t) => problem(t, stamp)).filter(Boolean);
if (problems.length > 0) {
  for (const p of problems) {
    console.error(`@hybridkem/native: refusing to pack: ${p}; run \`pnpm --filter @hybridkem/native build\` (and \`prebuild:arm64\` for linux-arm64, or delete prebuilds/linux-arm64) first`);
  }
  process.exit(1);
}
