// Bodies of CA routes, and the reason in words some other routes take too.
import { z } from 'zod';
import { needed, text } from './fields';

/** POST /cas/:id/certificate: the certificate an offline root signed, and that root's own. */
export const installCaCertificateBody = z.object({
  certificatePem: needed('give the CA certificate as PEM in "certificatePem"', 200_000),
  rootCertificatePem: needed('give the offline root certificate as PEM in "rootCertificatePem"', 200_000),
});
export type InstallCaCertificateBody = z.infer<typeof installCaCertificateBody>;

/** POST /cas/:id/retire. */
export const retireCaBody = z.object({ reason: text().optional(), revocationReason: text(64).optional() });
export type RetireCaBody = z.infer<typeof retireCaBody>;

/** A reason in words (CA compromise, rejections); the authority says when it is missing or empty. */
export const reasonBody = z.object({ reason: text().optional() });
export type ReasonBody = z.infer<typeof reasonBody>;
