import { BUILT_IN_CERTIFICATION_TEMPLATES } from '@anchorage/contracts';
import { templateProblems, type TemplateTerms } from './template-conformance';

const STATUS = 'https://pki.example.org/pki/communities/4c5e1b1e-7d7c-4a57-9d3e-1f2a3b4c5d6e/certifications/status';
const tefca = BUILT_IN_CERTIFICATION_TEMPLATES['tefca-basic-app'];
const terms: TemplateTerms = {
  name: tefca.name, uris: tefca.uris, logoUri: null, description: tefca.description ?? null, grantTypes: tefca.grantTypes, scopes: ['system/Patient.rs', 'system/Observation.rs'],
  responseTypes: tefca.responseTypes ?? [], exchangePurposes: tefca.exchangePurposes ?? [], isEndorsement: false,
};
const good = (extra: Record<string, unknown> = {}) => ({
  iss: 'https://certifier.example.org/udap', sub: 'https://app.example.org/client', iat: 1_800_000_000, exp: 1_810_000_000, jti: 'c-1',
  certification_name: tefca.name, certification_uris: [...tefca.uris], certification_description: tefca.description, certification_status_endpoint: STATUS,
  grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: 'system/Patient.rs', exchange_purposes: ['T-TREAT', 'T-PYMNT'],
  ...extra,
});

describe('templateProblems (udap.org Certifications and Endorsements; UDAP STU2 §7.4.1)', () => {
  it('accepts claims that follow the template', () => {
    expect(templateProblems(good(), terms, STATUS)).toEqual([]);
    expect(templateProblems(good({ is_endorsement: false, grant_types: ['client_credentials'], response_types: undefined }), terms, STATUS)).toEqual([]);
  });
  it('requires the template\'s name, URIs, description and the community\'s status endpoint as they are', () => {
    expect(templateProblems(good({ certification_name: 'Other' }), terms, STATUS)).toEqual([`certification_name must be the template's "${tefca.name}"`]);
    expect(templateProblems(good({ certification_uris: [...tefca.uris, 'https://x.example.org'] }), terms, STATUS)[0]).toMatch(/certification_uris must be exactly/);
    expect(templateProblems(good({ certification_description: undefined }), terms, STATUS)[0]).toMatch(/certification_description .*missing/);
    expect(templateProblems(good({ certification_logo: 'https://x.example.org/logo.png' }), terms, STATUS)).toEqual(['certification_logo must be absent: the template has none']);
    expect(templateProblems(good({ certification_status_endpoint: undefined }), terms, STATUS)[0]).toMatch(/certification_status_endpoint must be/);
    expect(templateProblems(good({ is_endorsement: true }), terms, STATUS)).toEqual(['is_endorsement must be false, as the template says']);
  });
  it('keeps grants within the template', () => {
    expect(templateProblems(good({ grant_types: undefined }), terms, STATUS)[0]).toMatch(/grant_types is required/);
    expect(templateProblems(good({ grant_types: ['implicit'] }), terms, STATUS)).toEqual([expect.stringMatching(/grant_types "implicit" not allowed/)]);
    expect(templateProblems(good({ response_types: undefined }), terms, STATUS)).toEqual(['response_types must include "code" when grant_types includes authorization_code']);
    expect(templateProblems(good({ scope: 'system/Patient.rs user/*.*' }), terms, STATUS)).toEqual([expect.stringMatching(/scope "user\/\*\.\*" not allowed/)]);
    expect(templateProblems(good({ exchange_purposes: [] }), terms, STATUS)[0]).toMatch(/exchange_purposes must name at least one/);
    expect(templateProblems(good({ exchange_purposes: 'T-TREAT' }), terms, STATUS)).toEqual(['exchange_purposes must be an array of strings']);
    // a template that lists no scopes leaves scope unrestricted
    expect(templateProblems(good({ scope: 'anything/at.all' }), { ...terms, scopes: [] }, STATUS)).toEqual([]);
  });
  it('wants whole-second times, a short jti and well-typed app claims', () => {
    expect(templateProblems(good({ exp: 1_810_000_000.5 }), terms, STATUS)).toEqual(['exp must be a whole number of seconds']);
    expect(templateProblems(good({ jti: 'x'.repeat(257) }), terms, STATUS)).toEqual(['jti must be 1 to 256 characters']);
    expect(templateProblems(good({ client_name: 42, contacts: 'mailto:a@b' }), terms, STATUS)).toEqual(['client_name must be a string', 'contacts must be an array of strings']);
  });
});
