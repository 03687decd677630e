-- From the project's shared bench/ scripts (pgbench baselines for deductions); used by bench/run.sh.
DROP TABLE IF EXISTS bench_allocations, bench_lots;
CREATE TABLE bench_lots (account_id int PRIMARY KEY, remaining numeric(19,4) NOT NULL CHECK (remaining >= 0));
CREATE TABLE bench_allocations (request_id uuid PRIMARY KEY, account_id int NOT NULL, amount numeric(19,4) NOT NULL);
INSERT INTO bench_lots SELECT g, 1000000000 FROM generate_series(1, 10000) g;
