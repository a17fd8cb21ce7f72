// Public API of the signer: the only holder of CA private keys (see ARCHITECTURE.md).
export type {
  GeneratedKey,
  KeyBackend,
  SignatureAlgorithm,
  SignatureAudit,
  SignatureAuditEvent,
  SignatureMeta,
  SignaturePurpose,
} from './types';
export { SignerError } from './errors';
export { signatureAlgorithmFor } from './algorithms';
export { Signer, type SignerOptions } from './signer';
export type { SigningService } from './signing-service';
export { openSigner, type KeyStoreSettings } from './open-signer';
export { SignerClient, type SignerClientOptions } from './remote/client';
export { startSignerServer, type SignerServer } from './remote/server';
export { encodeFrame, FrameError, FrameReader, readHeader, type Frame } from './remote/framing';
export { MAX_REQUEST_BYTES, SIGNER_OPS, SIGNER_STATUS } from './remote/protocol';
export { checkSigningInput } from './remote/tbs-guard';
export { SerialJournal } from './remote/serial-journal';
export { AUDIT_CHECKPOINT_TYP, AUDIT_KEY_FILE } from './audit-key';
export { SoftwareKeyBackend, type SoftwareKeyBackendOptions } from './software-backend';
export { loadKekFile, createKekFile, loadKeyFile, createKeyFile, KEK_BYTES } from './kek-file';
export { Pkcs11KeyBackend, type Pkcs11KeyBackendOptions } from './pkcs11-backend';
export { readPinFile } from './pin-file';
export { deriveSubkey, SecretBox, type SubkeyPurpose } from './subkeys';
