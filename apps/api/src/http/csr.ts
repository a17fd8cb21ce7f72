/**
 * The CSR of a body the edge checked: PEM from `csr`, or DER from base64 `csrDerBase64`. The body
 * schemas (libs/contracts issueCertificateBody, submitCertificateRequestBody) let exactly one of the
 * two through, and base64 only in `csrDerBase64`.
 */
export function csrOf(body: { csr?: string; csrDerBase64?: string }): string | Buffer {
  return body.csr ?? Buffer.from(body.csrDerBase64 ?? '', 'base64');
}
