// A writer process for test/audit-crash.test.ts: opens (resumes) the audit
// log at argv[2] with the test key from the environment and appends until it
// is killed, printing "open N" once open and "ack N" after each append
// resolves (the entry is durable). Runs the built package (dist).
import { signatureBackend } from '@hybridkem/noble';
import { createSigner } from '@hybridkem/signing';
import { openAuditLog } from '../dist/index.js';

const signer = createSigner('MLDSA44-Ed25519-SHA512', signatureBackend);
const log = await openAuditLog(process.argv[2], {
  signer,
  signingPublicKey: Buffer.from(process.env.AUDIT_TEST_PUBLIC_KEY ?? '', 'hex'),
  signingPrivateKey: Buffer.from(process.env.AUDIT_TEST_PRIVATE_KEY ?? '', 'hex'),
  checkpointEvery: 5,
});
process.stdout.write(`open ${log.head().count}\n`);
for (let i = 0; ; i++) {
  await log.append('deliver', { i, pid: process.pid });
  process.stdout.write(`ack ${log.head().count}\n`);
}
