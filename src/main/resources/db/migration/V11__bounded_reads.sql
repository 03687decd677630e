-- Issue 26: pages are read by keyset (newest first, ties by id), so each list's index ends with its order's columns;
-- a page then reads only its own rows however long the list (paging/, store/Keyset).
CREATE INDEX usage_by_account_page ON usage_decisions (account_id, occurred_at, request_id);
CREATE INDEX lots_by_account_page ON lots (account_id, effective_at, lot_id);
CREATE INDEX credits_log_by_account_page ON credits_log (account_id, effective_at, entry_id);
CREATE INDEX api_keys_page ON api_keys (created_at, name);
