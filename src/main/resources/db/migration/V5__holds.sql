-- Holds (SPEC section 6): credits reserved before a model call and settled after it. One schema for H2 and PostgreSQL.
-- A hold is open while state = 'OPEN' and, for a request dated t, expires_at > t (event time: no sweeper needed).
CREATE TABLE holds (
    hold_id       VARCHAR(128)  PRIMARY KEY,
    account_id    VARCHAR(128)  NOT NULL REFERENCES accounts (account_id),
    realm         VARCHAR(16)   NOT NULL,
    product       VARCHAR(16)   NOT NULL,
    feature       VARCHAR(32)   NOT NULL,
    model         VARCHAR(128)  NOT NULL,
    credits       NUMERIC(19,4) NOT NULL,
    occurred_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    ttl_seconds   INT           NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    plan          VARCHAR(32)   NOT NULL,
    -- the answer the hold got (HELD or INSUFFICIENT), never rewritten: a retry answers it again
    status        VARCHAR(16)   NOT NULL,
    reason        VARCHAR(32)   NOT NULL,
    held          NUMERIC(19,4) NOT NULL,
    shortfall     NUMERIC(19,4) NOT NULL,
    balance_after NUMERIC(19,4) NOT NULL,
    rules_version VARCHAR(64)   NOT NULL,
    fired_rules   VARCHAR(16000) NOT NULL,
    request_hash  VARCHAR(64)   NOT NULL,
    recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    -- where the hold stands: OPEN, INSUFFICIENT (held nothing), COMMITTED, RELEASED, EXPIRED
    state         VARCHAR(16)   NOT NULL,
    settled_at    TIMESTAMP WITH TIME ZONE,
    released      NUMERIC(19,4),
    settle_hash   VARCHAR(64),
    CONSTRAINT holds_held_not_negative CHECK (held >= 0),
    CONSTRAINT holds_settled_once CHECK ((state IN ('OPEN', 'INSUFFICIENT')) = (settled_at IS NULL))
);
-- what a request dated t subtracts: the account's open holds expiring after t
CREATE INDEX holds_open_by_account ON holds (account_id, state, expires_at);

CREATE TABLE hold_allocations (
    hold_id  VARCHAR(128)  NOT NULL REFERENCES holds (hold_id),
    seq      INT           NOT NULL,
    lot_id   VARCHAR(128)  NOT NULL REFERENCES lots (lot_id),
    lot_type VARCHAR(16)   NOT NULL,
    amount   NUMERIC(19,4) NOT NULL,
    PRIMARY KEY (hold_id, seq),
    CONSTRAINT hold_allocations_amount_positive CHECK (amount > 0)
);
CREATE INDEX hold_allocations_by_lot ON hold_allocations (lot_id);
