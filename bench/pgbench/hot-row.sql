-- The deduction of deduction.sql on ONE account (issue 17): every client locks the same lot row, as the service's
-- hot-account run does; used by bench/run.sh beside the end-to-end run where all clients hit one account.
\set aid 1
\set amt random(1, 5)
BEGIN;
SELECT remaining FROM bench_lots WHERE account_id = :aid FOR UPDATE;
UPDATE bench_lots SET remaining = remaining - :amt WHERE account_id = :aid;
INSERT INTO bench_allocations (request_id, account_id, amount) VALUES (gen_random_uuid(), :aid, :amt);
END;
