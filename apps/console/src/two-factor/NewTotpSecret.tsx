import { Secret } from '../common/Secret';
import { QrCode } from './QrCode';
import { RecoveryCodeList } from './RecoveryCodes';

/**
 * A TOTP secret just made, shown this once: the QR code for the authenticator app, the secret and the
 * otpauth URI as text to copy, and (when the secret comes with them) the recovery codes of `account`.
 */
export function NewTotpSecret({ secret, otpauthUri, recoveryCodes, account, secretLabel = 'TOTP secret' }: {
  secret: string; otpauthUri: string; recoveryCodes?: readonly string[]; account: string; secretLabel?: string;
}) {
  return (
    <>
      <QrCode text={otpauthUri} label="QR code for the authenticator app" />
      <Secret label={secretLabel} value={secret} />
      <Secret label="otpauth URI" value={otpauthUri} />
      {recoveryCodes && <RecoveryCodeList codes={recoveryCodes} account={account} />}
    </>
  );
}
