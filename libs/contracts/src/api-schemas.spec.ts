import { auditEventsQuery, auditVerifyQuery, inputProblems, issueCertificateBody, NO_QUERY, revokeCertificateBody, ROUTE_SCHEMAS, submitCertificateRequestBody } from './api-schemas';
import type { z } from 'zod';

/** The problems of `input` against `schema` as the API names them ([] when it passes). */
const problems = (where: 'body' | 'query', schema: z.ZodTypeAny, input: unknown) => {
  const r = schema.safeParse(input);
  return r.success ? [] : inputProblems(where, r.error);
};

describe('input schemas', () => {
  const issue = { organizationId: '5b7d9f1a-3c2e-4d6f-8a9b-0c1d2e3f4a5b', profile: 'udap-client' };
  const generateKey = { pkcs12Password: 'a long enough password' };

  it('takes exactly one of csr, csrDerBase64 and generateKey to issue, naming the field otherwise', () => {
    expect(problems('body', issueCertificateBody, { ...issue, csr: '-----BEGIN CERTIFICATE REQUEST-----' })).toEqual([]);
    expect(problems('body', issueCertificateBody, { ...issue, csrDerBase64: 'MIIBVzCB\n/QIBADA=\r\n' })).toEqual([]);
    expect(problems('body', issueCertificateBody, { ...issue, generateKey })).toEqual([]);
    expect(problems('body', issueCertificateBody, issue)).toEqual([{
      field: 'body.csr', message: 'give the CSR as PEM in "csr" or as base64 DER in "csrDerBase64", or generateKey: { keyType?, pkcs12Password } for a key the platform generates',
    }]);
    expect(problems('body', issueCertificateBody, { ...issue, csr: 'x', generateKey })).toEqual([{ field: 'body.generateKey', message: 'give either a CSR or generateKey, not both' }]);
    expect(problems('body', issueCertificateBody, { ...issue, csr: 'x', csrDerBase64: 'MIIB' })).toEqual([
      { field: 'body.csrDerBase64', message: 'give the CSR once: as PEM in "csr" or as base64 DER in "csrDerBase64", not both' },
    ]);
    expect(problems('body', issueCertificateBody, { ...issue, csrDerBase64: '-----BEGIN CERTIFICATE REQUEST-----' })).toEqual([
      { field: 'body.csrDerBase64', message: 'must be the DER CSR as base64 (a PEM CSR goes in "csr")' },
    ]);
    expect(problems('body', issueCertificateBody, { ...issue, generateKey: [] })).toEqual([{ field: 'body.generateKey', message: 'generateKey must be an object: { keyType?, pkcs12Password }' }]);
    expect(problems('body', issueCertificateBody, { ...issue, generateKey: {} })).toEqual([
      { field: 'body.generateKey.pkcs12Password', message: 'pkcs12Password is required: it protects the PKCS #12 that carries the private key' },
    ]);
  });

  it('takes exactly one of csr and csrDerBase64 to request a certificate', () => {
    expect(problems('body', submitCertificateRequestBody, { ...issue, csr: 'x' })).toEqual([]);
    expect(problems('body', submitCertificateRequestBody, { ...issue, generateKey })).toEqual([{ field: 'body.csr', message: 'give the CSR as PEM in "csr" or as base64 DER in "csrDerBase64"' }]);
  });

  it('requires the reason of a revocation', () => {
    const required = [{ field: 'body.reason', message: 'reason is required (an RFC 5280 reason name, e.g. keyCompromise)' }];
    expect(problems('body', revokeCertificateBody, {})).toEqual(required);
    expect(problems('body', revokeCertificateBody, { reason: 1 })).toEqual(required);
    expect(revokeCertificateBody.parse({ reason: 'keyCompromise' })).toEqual({ reason: 'keyCompromise' });
  });

  it('reads a list\'s query as JSON, drops cleared filter fields, and names each unknown parameter or field', () => {
    const list = ROUTE_SCHEMAS['GET /api/v1/certificates'].query!;
    expect(list.parse({ filter: '{"status":"issued","san":"","serial":null}', range: '[25,49]', sort: '["createdAt","DESC"]' }))
      .toEqual({ filter: { status: 'issued' }, range: [25, 49], sort: ['createdAt', 'DESC'] });
    expect(list.parse({})).toEqual({});
    expect(problems('query', list, { limit: '1', after: '2' })).toEqual([
      { field: 'query.limit', message: 'unknown query parameter' }, { field: 'query.after', message: 'unknown query parameter' },
    ]);
    expect(problems('query', list, { filter: '{"nosuch":"x","status":"x"}' })).toEqual([{ field: 'query.filter.nosuch', message: 'unknown field' }]);
    expect(problems('query', list, { filter: '{"serial":"xyz"}' })).toEqual([{ field: 'query.filter.serial', message: 'must be hexadecimal' }]);
    expect(problems('query', list, { filter: 'status=issued' })).toEqual([{ field: 'query.filter', message: 'must be JSON, e.g. filter={"status":"issued"}' }]);
    expect(problems('query', list, { range: '[2,1]' }).map((p) => p.field)).toEqual(['query.range']);
    expect(problems('query', list, { range: '[0,1.5]' }).map((p) => p.field)).toEqual(['query.range[1]']);
    expect(problems('query', list, { sort: '["createdAt"]' }).map((p) => p.field)).toEqual(['query.sort']);
    expect(problems('query', list, { range: ['[0,1]', '[0,2]'] })).toEqual([{ field: 'query.range', message: 'give this parameter once' }]);
    expect(problems('query', NO_QUERY, { x: '1' })).toEqual([{ field: 'query.x', message: 'unknown query parameter' }]);
  });

  it('reads the audit log\'s query parameters as the values they stand for', () => {
    expect(auditEventsQuery.parse({ after: '42', limit: '1000', action: 'organization.' })).toEqual({ after: 42n, limit: 1000, action: 'organization.' });
    expect(problems('query', auditEventsQuery, { limit: '1001' })).toEqual([{ field: 'query.limit', message: 'must be a whole number from 1 to 1000' }]);
    expect(problems('query', auditEventsQuery, { actor: '' })).toEqual([{ field: 'query.actor', message: 'must be 1 to 200 characters' }]);
    expect(problems('query', auditVerifyQuery, { checkpoint: 'a.b.c' })).toEqual([]);
    expect(problems('query', auditVerifyQuery, { checkpoint: 'a.b' })).toEqual([{ field: 'query.checkpoint', message: 'must be a compact JWS (audit/checkpoint.jws as published)' }]);
  });
});
