package dev.creditspolicy.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;

/** A viewer token reads back the account id it was minted for, whatever characters an older id holds. */
@DisplayName("viewer tokens: the account id round-trips, '|' included (ids stored before ids had a syntax)")
class ViewerTokensTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    private final ViewerTokens tokens = new ViewerTokens(new Store(TestDatabases.fresh("viewer_tokens")), clock);

    @Test
    void theAccountIdRoundTrips() {
        for (String id : new String[] {"a.b:c@d-e_f", "a|b", "|", "a||b|", "v1|x|4102444800"}) {
            ViewerTokens.Minted minted = tokens.mint(id, 60);
            assertEquals(id, tokens.check(minted.token()).accountId(), id);
            assertEquals(minted.expiresAt(), tokens.check(minted.token()).expiresAt());
        }
    }
}
