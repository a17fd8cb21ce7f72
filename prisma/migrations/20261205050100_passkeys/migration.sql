-- Passkeys (WebAuthn) as an operator's second factor: each registered credential's id, public key (SPKI
-- DER, base64), COSE algorithm (-7 ES256, -257 RS256) and signature counter; and the challenges the server
-- issued, each usable once and for a few minutes.
CREATE TABLE "passkey" (
  "credential_id" TEXT PRIMARY KEY,
  "user_id" UUID NOT NULL REFERENCES "app_user"("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL,
  "public_key_spki" TEXT NOT NULL,
  "algorithm" INTEGER NOT NULL,
  "sign_count" BIGINT NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "last_used_at" TIMESTAMPTZ(3)
);
CREATE INDEX "passkey_user_idx" ON "passkey"("user_id");

CREATE TABLE "webauthn_challenge" (
  "id" UUID PRIMARY KEY,
  -- the user a registration is for; null for a sign-in (who signs in is known only from the e-mail sent with the answer)
  "user_id" UUID REFERENCES "app_user"("id") ON DELETE CASCADE,
  "purpose" TEXT NOT NULL,
  "challenge" TEXT NOT NULL,
  "expires_at" TIMESTAMPTZ(3) NOT NULL
);
CREATE INDEX "webauthn_challenge_expires_idx" ON "webauthn_challenge"("expires_at");
