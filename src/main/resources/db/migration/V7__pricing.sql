-- Pricing (issue 18): a call may send the tokens it consumed instead of credits, and the rules price it. The request's
-- token counts and the price breakdown (JSON, as answered) are kept beside its decision or hold, so GET /v1/usage/{id},
-- record and rules impact give them back exactly; the decision's and the hold's credits column holds the price.
CREATE TABLE usage_prices (
    request_id          VARCHAR(128)   PRIMARY KEY REFERENCES usage_decisions (request_id),
    input_tokens        BIGINT         NOT NULL,
    cached_input_tokens BIGINT         NOT NULL,
    output_tokens       BIGINT         NOT NULL,
    breakdown           VARCHAR(4000)  NOT NULL,
    CONSTRAINT usage_prices_tokens_not_negative
        CHECK (input_tokens >= 0 AND cached_input_tokens >= 0 AND output_tokens >= 0)
);

CREATE TABLE hold_prices (
    hold_id             VARCHAR(128)   PRIMARY KEY REFERENCES holds (hold_id),
    input_tokens        BIGINT         NOT NULL,
    cached_input_tokens BIGINT         NOT NULL,
    output_tokens       BIGINT         NOT NULL,
    breakdown           VARCHAR(4000)  NOT NULL,
    CONSTRAINT hold_prices_tokens_not_negative
        CHECK (input_tokens >= 0 AND cached_input_tokens >= 0 AND output_tokens >= 0)
);
