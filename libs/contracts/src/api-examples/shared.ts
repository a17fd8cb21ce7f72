// What the examples share: the ids they use, the network's base URL and SAN URI, and PEM blobs.

export const ids = {
  community: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  rootCa: '2c8e4f6a-1b3d-4e5f-9a7b-6c8d0e2f4a1b',
  issuingCa: '7d9f1b3c-5e7a-4c2d-8f1e-3a5b7c9d1e2f',
  organization: 'e4a6c8d0-2f4b-4d6e-a8c0-1e3f5a7b9c2d',
  certificate: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  member: '5b7d9f1a-3c5e-4f7a-9b1c-2d4e6f8a0b3c',
  operator: '1f3a5c7e-9b2d-4f6a-8c0e-4b6d8f0a2c5e',
  invitation: '6c8e0a2b-4d6f-4a8c-9e1b-3d5f7a9c1e4a',
  request: '8e0a2c4d-6f8b-4a1c-b3e5-7d9f1b3d5e6a',
  bulk: '3d5f7b9a-1c3e-4b5d-8f7a-9c1e3b5d7f8a',
  notice: '4e6a8c0b-2d4f-4c6e-9a8b-0d2f4a6c8e9b',
  template: '0a2c4e6b-8d0f-4b2d-9c4e-6a8c0e2b4d7f',
  certification: '2b4d6f8c-0e2a-4c4e-8d6f-8b0d2f4a6c9e',
  certifierOrganization: '7a9c1e3b-5d7f-4a9c-8e1b-3c5e7a9b1d4f',
  certifierCertificate: '5c7e9a1d-3f5b-4c7e-9a2d-4e6a8c0b2d5f',
  subscription: '0a2c4e6f-8b1d-4f3a-9c5e-7b9d1f3a5c7e',
  delivery: 'f1e3d5c7-b9a1-4c3e-8d5f-7a9c1e3b5d7f',
  endpoint: '0a2c4e6f-8b1d-4f3a-9c5e-7a9b1d3f5c7e',
  check: '2b4d6f8a-0c2e-4a5b-8d7f-9b1c3e5a7d9f',
  alert: '5c7e9a1b-3d5f-4b7c-a9d1-2e4f6b8d0a3c',
};
export const base = 'https://pki.example.org';
export const san = 'https://fhir.riverside-health.example.org/r4';
export const operatorActor = `user:ops@example.org:${ids.operator}`;
export const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
export const leafPem = pem('CERTIFICATE', 'MIICpDCCAkqgAwIBAgIUR3Zk0fQ2mJ8sV1x9yTqLw5nE6bAwCgYIKoZIzj0EAwIw\nSjELMAkGA1UEBhMCVVMxGTAXBgNVBAoMEEFuY2hvcmFnZSBEZW1vIENBMSAwHgYD');
export const issuingPem = pem('CERTIFICATE', 'MIICGzCCAcGgAwIBAgIUK9mX2Lq5vT8wR3nYc1dHf0sJb6owCgYIKoZIzj0EAwIw\nSDELMAkGA1UEBhMCVVMxGTAXBgNVBAoMEEFuY2hvcmFnZSBEZW1vIENB');

export const exampleIds = ids;
