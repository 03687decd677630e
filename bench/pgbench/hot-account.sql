-- From the project's shared bench/ scripts (pgbench baselines for deductions); used by bench/run.sh.
\set aid 1
\set amt random(1, 5)
BEGIN;
SELECT remaining FROM bench_lots WHERE account_id = :aid FOR UPDATE;
UPDATE bench_lots SET remaining = remaining - :amt WHERE account_id = :aid;
INSERT INTO bench_allocations (request_id, account_id, amount) VALUES (gen_random_uuid(), :aid, :amt);
END;
