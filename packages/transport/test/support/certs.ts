import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  /** PEM private key (P-256). */
  key: string;
  /** PEM self-signed certificate for CN=localhost, SAN DNS:localhost, IP:127.0.0.1. */
  cert: string;
  keyPath: string;
  certPath: string;
  /** Temp directory holding both files; removed when the process exits. */
  dir: string;
}

const dirs = new Set<string>();
let exitHookInstalled = false;

function removeOnExit(dir: string): void {
  dirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
}

/**
 * Generates a fresh P-256 self-signed certificate for localhost/127.0.0.1
 * (valid 30 days) with the openssl CLI, into a new temp directory.
 */
export function makeTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'hk-transport-cert-'));
  removeOnExit(dir);
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509',
        '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
        '-nodes', '-keyout', keyPath, '-out', certPath,
        '-days', '30', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 },
    );
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`makeTestCertificate: openssl failed: ${stderr || (err as Error).message}`);
  }
  return {
    key: readFileSync(keyPath, 'utf8'),
    cert: readFileSync(certPath, 'utf8'),
    keyPath,
    certPath,
    dir,
  };
}
