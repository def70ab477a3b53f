/**
 * Where the mesh reports what it did: every issue, delivery, refusal and
 * rotation becomes one audit event. The audit log (audit/log.ts) is one
 * sink; tests may collect events in memory.
 * @module
 */

/** The event types the mesh writes (spec/MESH.md, audit log). */
export type AuditEventType = 'issue' | 'deliver' | 'refuse' | 'rotate' | 'directory';

/** Values are strings, safe integers or booleans: never key material, seeds or plaintext. */
export type AuditData = Readonly<Record<string, string | number | boolean>>;

export interface AuditSink {
  /** Appends one event; resolves once it is durable (for a file: written and fsynced). */
  append(type: AuditEventType, data: AuditData): Promise<void>;
}
