import type { SignatureAudit, SignatureAuditEvent } from '../types';

/** Test fake: records audit events in memory, optionally failing a phase. */
export class MemoryAudit implements SignatureAudit {
  /** Events in the order they were received. */
  readonly events: { phase: 'before' | 'after'; event: SignatureAuditEvent }[] = [];

  constructor(private readonly failOn?: 'before' | 'after') {}

  /** Records a before-event, or throws when configured to fail it. */
  async before(e: SignatureAuditEvent): Promise<void> {
    if (this.failOn === 'before') throw new Error('audit store unavailable');
    this.events.push({ phase: 'before', event: { ...e } });
  }

  /** Records an after-event, or throws when configured to fail it. */
  async after(e: SignatureAuditEvent & { signatureSha256: string }): Promise<void> {
    if (this.failOn === 'after') throw new Error('audit store unavailable');
    this.events.push({ phase: 'after', event: { ...e } });
  }
}
