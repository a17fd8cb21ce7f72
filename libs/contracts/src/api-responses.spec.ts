import type { z } from 'zod';
import { ROUTE_SCHEMAS } from './api-schemas';
import { ROUTE_RESPONSES, VIEW_SCHEMAS } from './api-responses';
import { auditProblemCodeSchema, auditProblemSchema, certificateViewSchema, type AuditProblem, type AuditProblemCode } from './wire';
import { certificateExample } from './api-examples';

/** true when A and B are assignable to each other (the same type, for what a client can do with it). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('response contracts', () => {
  it('has one response entry for every route with an input schema, and no other', () => {
    expect(Object.keys(ROUTE_RESPONSES).sort()).toEqual(Object.keys(ROUTE_SCHEMAS).sort());
  });

  it('gives every route a one-line summary', () => {
    const bad = Object.entries(ROUTE_RESPONSES).filter(([, r]) => !/^[A-Z][^\n]{3,140}$/.test(r.summary)).map(([k]) => k);
    expect(bad).toEqual([]);
  });

  it('gives every JSON answer an example that validates against its schema', () => {
    const problems: string[] = [];
    for (const [key, r] of Object.entries(ROUTE_RESPONSES)) {
      if (!r.body) {
        if (!r.status.every((s) => s === 204) && !r.media) problems.push(`${key}: no body, yet not 204 and no media type`);
        continue;
      }
      if (r.example === undefined) { problems.push(`${key}: no example`); continue; }
      const parsed = r.body.safeParse(r.example);
      if (!parsed.success) problems.push(`${key}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      if (r.paged && (r.body._def as { typeName: string }).typeName !== 'ZodArray') problems.push(`${key}: a page that is not an array`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses an answer with a field its view does not name, or without one it does', () => {
    expect(certificateViewSchema.safeParse(certificateExample).success).toBe(true);
    expect(certificateViewSchema.safeParse({ ...certificateExample, keyRef: 'software:7d9f' }).success).toBe(false);
    const { serial: _serial, ...withoutSerial } = certificateExample;
    expect(certificateViewSchema.safeParse(withoutSerial).success).toBe(false);
    expect(certificateViewSchema.safeParse({ ...certificateExample, notAfter: 'next year' }).success).toBe(false);
  });

  it('names each view once', () => {
    expect(new Set(Object.values(VIEW_SCHEMAS)).size).toBe(Object.keys(VIEW_SCHEMAS).length);
  });

  it('agrees with the audit types declared in wire.ts (checked at compile time)', () => {
    const codes: Same<z.infer<typeof auditProblemCodeSchema>, AuditProblemCode> = true;
    const problem: Same<z.infer<typeof auditProblemSchema>, AuditProblem> = true;
    expect([codes, problem]).toEqual([true, true]);
  });
});
