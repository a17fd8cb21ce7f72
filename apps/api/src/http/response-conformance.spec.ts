import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError } from '@anchorage/authority';
import { ROUTE_RESPONSES } from '@anchorage/contracts';
import { answerProblems, undeclaredRefusal } from './response-conformance';
import { problemCodesOf } from './route-contract';

describe('response conformance check', () => {
  const show = ROUTE_RESPONSES['GET /api/v1/certificates/:id'];
  const list = ROUTE_RESPONSES['GET /api/v1/certificates'];
  const cert = show.example as Record<string, unknown>;

  it('passes an answer that keeps its contract', () => {
    expect(answerProblems(show, 200, undefined, cert)).toEqual([]);
    expect(answerProblems(list, 200, 'certificates 0-0/1', [cert])).toEqual([]);
    expect(answerProblems(ROUTE_RESPONSES['POST /api/v1/auth/logout'], 204, undefined, undefined)).toEqual([]);
  });

  it('names each field of a body that differs from the schema, as it goes over the wire', () => {
    const { serial: _serial, ...rest } = cert;
    expect(answerProblems(show, 200, undefined, { ...rest, keyRef: 'software:k1', notAfter: new Date('2027-01-01') })).toEqual([
      'serial: Required',
      "body: Unrecognized key(s) in object: 'keyRef'",
    ]);
    expect(answerProblems(show, 200, undefined, { ...cert, sanUris: 'https://x.example.org' })).toEqual(['sanUris: Expected array, received string']);
  });

  it('refuses another status, a page without Content-Range, and a body where none is answered', () => {
    expect(answerProblems(show, 201, undefined, cert)).toEqual(['status 201, where the route answers 200']);
    expect(answerProblems(list, 200, undefined, [cert])).toEqual(['Content-Range undefined, where a page has "<resource> <first>-<last>/<total>"']);
    expect(answerProblems(ROUTE_RESPONSES['POST /api/v1/auth/logout'], 204, undefined, { ok: true })).toEqual(['a body, where the route answers none']);
    expect(answerProblems(show, 200, undefined, undefined)).toEqual(['no body']);
  });

  it('derives the refusals of a route from its input, ids and access rule, and refuses others', () => {
    const revoke = problemCodesOf('POST /api/v1/certificates/:id/revoke', { roles: ['operator', 'member-admin'] });
    expect(revoke).toEqual(['validation', 'unauthorized', 'forbidden', 'reason-not-allowed', 'not-found', 'already-revoked', 'publication-failed', 'signer-error']);
    expect(problemCodesOf('GET /api/v1/dashboard', { roles: ['operator', 'auditor', 'member-admin'] })).toEqual(['validation', 'unauthorized']); // every route refuses query parameters it does not take
    expect(problemCodesOf('POST /api/v1/auth/login', { public: true })).toEqual(['validation', 'unauthorized', 'too-many-requests', 'identity-unavailable']);
    expect(undeclaredRefusal(new DomainError('already-revoked', 'already revoked'), revoke)).toBeNull();
    expect(undeclaredRefusal(new BadRequestException('bad uuid'), revoke)).toBeNull();
    expect(undeclaredRefusal(new DomainError('external-ca', 'an offline root'), revoke)).toBe('external-ca (409): an offline root');
    expect(undeclaredRefusal(new NotFoundException('gone'), ['unauthorized'])).toBe('status 404: gone');
    expect(undeclaredRefusal(new Error('database down'), revoke)).toBeNull();
  });
});
