import { DomainError } from '../errors';
import { isValidLei, isValidNpi, isValidOid, validateProfile } from './profile';

const good = {
  legalName: 'Demo Clinic LLC',
  identifiers: [{ type: 'NPI', value: '1234567893' }, { type: 'LEI', value: '5493001kjtiigc8y1r12' }, { type: 'OID', value: '2.16.840.1.113883.3.1234' }],
  address: { lines: ['1 Main St'], city: 'Springfield', region: 'IL', postalCode: '62701', country: 'us' },
  technicalContact: { name: 'Tech', email: 'Tech@Demo.example', phone: '+1 (555) 010-0000' },
  securityContact: { name: 'Sec', email: 'sec@demo.example' },
  requestedSanUris: ['https://fhir.demo.example/r4', 'https://fhir.demo.example/r4'],
};

describe('organization profile', () => {
  it('checks NPI (Luhn with the 80840 prefix), LEI (MOD 97-10) and OID check rules', () => {
    expect(isValidNpi('1234567893')).toBe(true); // the CMS example
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidLei('5493001KJTIIGC8Y1R12')).toBe(true); // Bloomberg's LEI (GLEIF)
    expect(isValidLei('5493001KJTIIGC8Y1R13')).toBe(false);
    expect(isValidOid('2.16.840.1.113883.3.1234')).toBe(true);
    expect(isValidOid('1.40.1')).toBe(false);
    expect(isValidOid('3.1')).toBe(false);
    expect(isValidOid('1.2.03')).toBe(false);
  });

  it('normalizes a good profile (emails lowercased, LEI uppercased, country uppercased, SANs deduplicated)', () => {
    const p = validateProfile(good);
    expect(p.technicalContact.email).toBe('tech@demo.example');
    expect(p.identifiers[1].value).toBe('5493001KJTIIGC8Y1R12');
    expect(p.address.country).toBe('US');
    expect(p.requestedSanUris).toEqual(['https://fhir.demo.example/r4']);
  });

  it('reports every problem with its field at once', () => {
    let err: unknown;
    try {
      validateProfile({ ...good, legalName: ' ', identifiers: [{ type: 'NPI', value: '1234567890' }, { type: 'other', value: 'x' }], address: { lines: [], city: 'X', country: 'USA' }, securityContact: { name: 'S', email: 'nope' }, requestedSanUris: ['HTTPS://Fhir.Demo.example:443/r4'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    const fields = ((err as DomainError).details.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(['legalName', 'identifiers[0].value', 'identifiers[1].label', 'address.lines', 'address.country', 'securityContact.email', 'requestedSanUris[0]']);
    expect((err as DomainError).message).toMatch(/https:\/\/fhir\.demo\.example\/r4/); // the canonical form of the bad SAN
  });
});
