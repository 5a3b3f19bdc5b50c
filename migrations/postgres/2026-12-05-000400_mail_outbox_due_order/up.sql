-- The worker claims due messages in the order of this index. Ordered by id alone, a claim
-- walked the primary key past every message already sent, because the sent rows keep the
-- lowest ids; the work grew with the outbox until each claim read all of it.
DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id)
    WHERE sent_at IS NULL AND failed_at IS NULL;
