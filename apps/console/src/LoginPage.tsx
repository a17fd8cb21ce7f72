import { Alert, Button, CardContent, Link, Stack } from '@mui/material';
import { useRef, useState } from 'react';
import { Form, Login, PasswordInput, required, TextInput, useLogin } from 'react-admin';
import { useLocation } from 'react-router-dom';
import { passkeySignInOptions } from './authApi';
import type { LoginParams } from './authProvider';
import { passkeysSupported, usePasskey as answerWithPasskey } from './two-factor/webauthn';

/** What another page (the invitation page) tells the sign-in page: a sentence, and the e-mail to fill in. */
export interface LoginNotice {
  message: string;
  email?: string;
}

/** Six digits from the app, or a recovery code (16 letters and digits, dashes and spaces ignored). */
const sixDigits = (value: unknown) => {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const bare = value.replace(/[\s-]+/g, '');
  return /^\d{6}$/.test(bare) || /^[a-z2-7]{16}$/i.test(bare) ? undefined : 'Enter the 6 digits the app shows, or one of your recovery codes';
};

/**
 * Sign-in with e-mail, password and authenticator code; an operator API token (`anc_…`) is the
 * secondary way in, for automation accounts and first setup.
 */
export function LoginPage() {
  const login = useLogin();
  const notice = useLocation().state as LoginNotice | null;
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // which button submitted the form (read in submit, so a ref rather than state)
  const withPasskey = useRef(false);

  const submit = async (values: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
    try {
      const params: LoginParams = mode === 'token' ? { token: str('token') }
        : withPasskey.current ? { email: str('email'), password: str('password'), passkey: await answerWithPasskey(await passkeySignInOptions()) }
        : { email: str('email'), password: str('password'), code: str('code') };
      await login(params);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const switchTo = (next: 'password' | 'token') => {
    setError(null);
    setMode(next);
  };

  return (
    <Login>
      <Form key={mode} onSubmit={submit} defaultValues={notice?.email ? { email: notice.email } : undefined}>
        <CardContent>
          <Stack spacing={1} sx={{ width: 320 }}>
            {notice?.message && !error && <Alert severity="success">{notice.message}</Alert>}
            {mode === 'password' ? (
              <>
                <TextInput source="email" label="E-mail" type="email" autoComplete="username" validate={required()} autoFocus fullWidth />
                <PasswordInput source="password" label="Password" autoComplete="current-password" validate={required()} fullWidth />
                <TextInput
                  source="code"
                  label="Authenticator code"
                  autoComplete="one-time-code"
                  validate={sixDigits}
                  helperText="6 digits from your authenticator app (or a recovery code). Required for operators and auditors; member admins only once they turned it on."
                  slotProps={{ htmlInput: { autoCapitalize: 'none', spellCheck: false } }}
                  fullWidth
                />
              </>
            ) : (
              <PasswordInput source="token" label="Operator API token" validate={required()} autoFocus fullWidth helperText="Tokens start with anc_" />
            )}
            {error && <Alert severity="error" role="alert">{error}</Alert>}
            <Button type="submit" variant="contained" disabled={busy} fullWidth onClick={() => { withPasskey.current = false; }}>
              Sign in
            </Button>
            {mode === 'password' && passkeysSupported() && (
              <Button type="submit" variant="outlined" disabled={busy} fullWidth onClick={() => { withPasskey.current = true; }}>
                Sign in with a passkey instead of a code
              </Button>
            )}
            <Link component="button" type="button" variant="body2" onClick={() => switchTo(mode === 'password' ? 'token' : 'password')}>
              {mode === 'password' ? 'Sign in with an operator API token' : 'Sign in with e-mail and password'}
            </Link>
          </Stack>
        </CardContent>
      </Form>
    </Login>
  );
}
