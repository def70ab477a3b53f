/**
 * `connect(policy, options)`: a TLS client under a policy, which records the
 * group Node reports for the connection.
 * @module
 */
import * as tls from 'node:tls';
import { HybridKemError } from '@hybridkem/core';
import { groupByNodeName, TLS_GROUPS } from './groups.js';
import { recordHandshake } from './handshake-info.js';
import { assertClientGroupReport } from './availability.js';
import { tlsOptions } from './options.js';
import { getPolicy, isAdvisory, type TlsPolicyName } from './policies.js';

/** The server completed a handshake on a group the client's policy does not accept. */
export class PolicyViolationError extends HybridKemError {
  constructor(message: string) {
    super('ERR_TLS_POLICY_VIOLATION', message);
    this.name = 'PolicyViolationError';
  }
}

/**
 * `tls.connect` under `policy`: the policy's TLS options win over any in
 * `options`. Needs a Node that names the hybrid group on the client side
 * (24.19+ or 26.5+; TlsUnavailableError elsewhere, saying so). After `secureConnect`, `negotiatedGroup(socket)` gives the group;
 * a group outside the policy (which a conforming server cannot pick) destroys
 * the socket with PolicyViolationError before `secureConnect` listeners added
 * after this call run.
 */
export function connect(policy: TlsPolicyName, options: tls.ConnectionOptions, secureConnectListener?: () => void): tls.TLSSocket {
  const p = getPolicy(policy);
  const startedAt = performance.now();
  const policyOptions = tlsOptions(policy);
  assertClientGroupReport();
  const socket = tls.connect({ ...options, ...policyOptions });
  socket.once('secureConnect', () => {
    const reported = socket.getEphemeralKeyInfo();
    const name = reported && 'name' in reported && typeof reported.name === 'string' ? reported.name : undefined;
    const group = name === undefined ? undefined : groupByNodeName(name);
    const advisory = group === undefined ? undefined : isAdvisory(p, group);
    if (group === undefined || advisory === undefined) {
      socket.destroy(new PolicyViolationError(`the server picked TLS group ${name ?? '(none reported)'}, which policy ${p.name} does not accept`));
      return;
    }
    recordHandshake(socket, {
      policy: p.name,
      side: 'client',
      group,
      hybrid: TLS_GROUPS[group].hybrid,
      advisory,
      helloRetry: undefined,
      cipherSuite: socket.getCipher()?.standardName ?? 'unknown',
      durationMs: performance.now() - startedAt,
    });
    secureConnectListener?.();
  });
  return socket;
}
