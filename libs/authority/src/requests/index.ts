export {
  submitCertificateRequest, approveCertificateRequest, rejectCertificateRequest, cancelCertificateRequest, certificateRequestView, type SubmitRequestInput,
} from './certificate-requests';
