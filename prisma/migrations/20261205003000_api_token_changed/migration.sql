-- API processes keep recently checked API tokens in memory; a token that is revoked, given another
-- expiry or deleted must leave every process's memory at once, whoever changed it (the API, the CLI,
-- a database session). The trigger announces the change on a NOTIFY channel, delivered at commit.
CREATE FUNCTION api_token_announce_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('anchorage_api_token_changed', COALESCE(COALESCE(NEW.id, OLD.id)::text, ''));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER api_token_changed
  AFTER UPDATE OF revoked_at, expires_at, token_hash, name ON "api_token"
  FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.token_hash IS DISTINCT FROM NEW.token_hash OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION api_token_announce_change();

CREATE TRIGGER api_token_deleted
  AFTER DELETE ON "api_token"
  FOR EACH ROW
  EXECUTE FUNCTION api_token_announce_change();

CREATE TRIGGER api_token_truncated
  AFTER TRUNCATE ON "api_token"
  FOR EACH STATEMENT
  EXECUTE FUNCTION api_token_announce_change();
