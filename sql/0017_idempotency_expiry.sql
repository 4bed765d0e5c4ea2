-- Idempotency keys are kept 30 days, longer than a tablet stays offline; the server's
-- housekeeping then removes them (with the answers they stored), hourly, by this index.
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
