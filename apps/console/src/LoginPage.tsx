import { Alert, Button, CardContent, Stack } from '@mui/material';
import { useState } from 'react';
import { Form, Login, PasswordInput, required, useLogin } from 'react-admin';

/** Sign-in with a single operator API token (`anc_…`), checked against the API before it is kept. */
export function LoginPage() {
  const login = useLogin();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await login({ token: String(values.token ?? '') });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Login>
      <Form onSubmit={submit}>
        <CardContent>
          <Stack spacing={1} sx={{ width: 320 }}>
            <PasswordInput source="token" label="Operator API token" validate={required()} autoFocus fullWidth helperText="Tokens start with anc_" />
            {error && <Alert severity="error" role="alert">{error}</Alert>}
            <Button type="submit" variant="contained" disabled={busy} fullWidth>
              Sign in
            </Button>
          </Stack>
        </CardContent>
      </Form>
    </Login>
  );
}
