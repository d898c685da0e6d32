-- Client hashes in rate limits are now keyed with a secret kept outside the database (an HMAC under
-- the client key, see `ClientKey` in src/store/mod.rs). The salt that keyed them before was kept
-- here, so a copy of the database was enough to recover client addresses from the counters: it is
-- deleted, and so are the counters made with it (they cannot match the new hashes anyway, and
-- would otherwise stay reversible until they aged out). Limits start afresh once, at the upgrade.
DELETE FROM settings WHERE name = 'client_salt';
DELETE FROM rate_limits;
