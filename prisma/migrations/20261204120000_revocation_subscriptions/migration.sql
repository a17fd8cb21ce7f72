-- Relying-party revocation notices (trust-community layer, item 5). Relying servers subscribe to a
-- community's revocations with a callback URL; every CRL a CA of the community publishes becomes one
-- notice (the CRL number, the previous one, the serials it added), written in the CRL's own
-- transaction with a delivery per active subscription and each delivery's job (outbox), so a notice
-- is never lost once a revocation is on a committed CRL. A delivery's id derives from
-- (subscription, CA, CRL number): every retry carries it, and receivers drop repeats by it.
CREATE TABLE "revocation_subscription" (
  "id"                   UUID PRIMARY KEY,
  "community_id"         UUID NOT NULL REFERENCES "community"("id"),
  -- an operator-registered relying party (named), or a member organization of the community
  "owner_type"           TEXT NOT NULL CHECK ("owner_type" IN ('relying-party', 'organization')),
  "organization_id"      UUID REFERENCES "organization"("id"),
  "relying_party"        TEXT CHECK (length("relying_party") BETWEEN 1 AND 200),
  "callback_url"         TEXT NOT NULL CHECK (length("callback_url") <= 2048),
  -- the HMAC secret, sealed with a subkey of the web key bound to this subscription (shown once)
  "secret_sealed"        TEXT NOT NULL,
  "status"               TEXT NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'paused', 'cancelled')),
  -- why it is paused: by a person, or by the platform after repeated failures
  "paused_reason"        TEXT CHECK ("paused_reason" IN ('manual', 'failing')),
  "consecutive_failures" INTEGER NOT NULL DEFAULT 0 CHECK ("consecutive_failures" >= 0),
  "total_failures"       INTEGER NOT NULL DEFAULT 0 CHECK ("total_failures" >= 0),
  "last_error"           TEXT,
  "last_failure_at"      TIMESTAMPTZ(3),
  "last_delivered_at"    TIMESTAMPTZ(3),
  "created_by"           TEXT NOT NULL,
  "created_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at"           TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CHECK (("owner_type" = 'organization') = ("organization_id" IS NOT NULL)),
  CHECK (("owner_type" = 'relying-party') = ("relying_party" IS NOT NULL)),
  CHECK (("status" = 'paused') = ("paused_reason" IS NOT NULL))
);
-- the CRL transaction looks up a community's active subscriptions
CREATE INDEX "revocation_subscription_community_idx" ON "revocation_subscription"("community_id", "status");
CREATE INDEX "revocation_subscription_organization_idx" ON "revocation_subscription"("organization_id") WHERE "organization_id" IS NOT NULL;

-- One per CRL published while the community had an active subscription: what every delivery of
-- that CRL says. The serials are capped (the full list is the CRL); serial_count is exact.
CREATE TABLE "revocation_notice" (
  "id"                  UUID PRIMARY KEY,
  "community_id"        UUID NOT NULL REFERENCES "community"("id"),
  "ca_id"               UUID NOT NULL REFERENCES "certificate_authority"("id"),
  "crl_id"              UUID NOT NULL REFERENCES "crl"("id"),
  "crl_number"          BIGINT NOT NULL CHECK ("crl_number" > 0),
  "previous_crl_number" BIGINT CHECK ("previous_crl_number" < "crl_number"),
  "this_update"         TIMESTAMPTZ(3) NOT NULL,
  "next_update"         TIMESTAMPTZ(3) NOT NULL,
  -- [{serial (hex), reason (RFC 5280 name), revokedAt}], in serial order, at most the cap
  "serials"             JSONB NOT NULL,
  "serial_count"        INTEGER NOT NULL CHECK ("serial_count" >= 0),
  -- serials released from hold by this CRL (hex)
  "released"            JSONB NOT NULL,
  "created_at"          TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  UNIQUE ("ca_id", "crl_number")
);
CREATE INDEX "revocation_notice_community_idx" ON "revocation_notice"("community_id", "created_at");

CREATE TABLE "revocation_delivery" (
  "id"              UUID PRIMARY KEY,
  "subscription_id" UUID NOT NULL REFERENCES "revocation_subscription"("id"),
  "notice_id"       UUID NOT NULL REFERENCES "revocation_notice"("id"),
  "status"          TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'delivered', 'failed', 'skipped')),
  "attempts"        INTEGER NOT NULL DEFAULT 0 CHECK ("attempts" >= 0),
  -- an OutboundFailure code (@anchorage/contracts), never what the receiver or the socket said
  "last_error"      TEXT,
  "last_attempt_at" TIMESTAMPTZ(3),
  "delivered_at"    TIMESTAMPTZ(3),
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  UNIQUE ("subscription_id", "notice_id"),
  CHECK (("status" = 'delivered') = ("delivered_at" IS NOT NULL))
);
CREATE INDEX "revocation_delivery_notice_idx" ON "revocation_delivery"("notice_id");
CREATE INDEX "revocation_delivery_subscription_idx" ON "revocation_delivery"("subscription_id", "created_at");
