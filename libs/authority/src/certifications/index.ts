export { defineCertificationTemplate, checkTemplateSpec, type DefineCertificationTemplateInput } from './define-certification-template';
export { recordCertification, MAX_CERTIFICATION_JWT_LENGTH, type RecordCertificationInput } from './record-certification';
export { revokeCertification, type RevokeCertificationInput } from './revoke-certification';
export { listCertifications, listCertificationTemplates } from './list-certifications';
export { certificationTemplateView, certificationView, platformCertifierView } from './certification-views';
export {
  CertificationStatusIndex, CERTIFICATION_STATUS_BODIES, CERTIFICATION_STATUS_MAX_AGE, CERTIFICATION_STATUS_REFRESH_MS,
} from './certification-status';
export { templateProblems, MAX_JTI_LENGTH, type TemplateTerms } from './template-conformance';
export { createPlatformCertifier, type CreatePlatformCertifierInput, type CreatedPlatformCertifier } from './create-platform-certifier';
export { issueCertification, type IssueCertificationInput } from './issue-certification';
export { appOrganization, checkCertifiedApp } from './certified-app';
