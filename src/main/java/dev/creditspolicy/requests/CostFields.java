package dev.creditspolicy.requests;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.service.Problem;

/**
 * What a call cost, as usage, evaluate, hold and commit bodies say it: either {@code credits}, or the tokens the call
 * consumed ({@code inputTokens} and {@code outputTokens}, optionally {@code cachedInputTokens}; the rules price
 * them). Sending both is refused, so a request is never priced two ways.
 */
record CostFields(BigDecimal credits, Long inputTokens, Long cachedInputTokens, Long outputTokens) {
    static final List<String> TOKEN_FIELDS = List.of("inputTokens", "cachedInputTokens", "outputTokens");

    /** {@code fields} plus the token fields: what a body that states a cost may hold. */
    static Set<String> with(String... fields) {
        return Set.copyOf(Stream.concat(Stream.of(fields), TOKEN_FIELDS.stream()).toList());
    }

    static CostFields read(Fields f) {
        boolean tokens = TOKEN_FIELDS.stream().anyMatch(f::has);
        if (!tokens) {
            return new CostFields(f.amount("credits", Money.ZERO, false), null, null, null);
        }
        if (f.has("credits")) {
            throw Problem.invalid("credits", "send either 'credits' or the tokens the call consumed ('inputTokens', "
                    + "'outputTokens', 'cachedInputTokens'), not both: the rules price the tokens");
        }
        Long input = f.optionalTokens("inputTokens");
        Long cached = f.optionalTokens("cachedInputTokens");
        Long output = f.optionalTokens("outputTokens");
        if (input == null || output == null) {
            String missing = input == null ? "inputTokens" : "outputTokens";
            throw Problem.invalid(missing, "'" + missing + "' is required with token counts (send 0 for none)");
        }
        // left out and 0 are the same request (and hash the same)
        return new CostFields(null, input, cached == null ? 0L : cached, output);
    }
}
