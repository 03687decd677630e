package dev.creditspolicy.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** Production mode on the settings: which databases need an admin key, and the development switch. */
class ProductionModeTest {
    static final String PG = "jdbc:postgresql://db:5432/credits?password=hunter2";
    static final String H2_FILE = "jdbc:h2:file:./data/credits-policy;AUTO_SERVER=TRUE";

    @Test
    @DisplayName("the embedded H2 file starts without an admin key; anything else needs one or the switch")
    void whoNeedsAKey() {
        assertThat(ProductionMode.refusal(H2_FILE, null, false)).isNull();
        assertThat(ProductionMode.refusal(PG, "a-secret", false)).isNull();
        assertThat(ProductionMode.refusal(PG, null, true)).isNull();
        assertThat(ProductionMode.refusal(PG, null, false)).startsWith("Refusing to start: credits.admin-key");
        assertThat(ProductionMode.refusal(PG, "  ", false)).as("blank is not set").isNotNull();
        assertThat(ProductionMode.refusal("jdbc:h2:mem:x", null, false)).isNotNull();
        assertThat(ProductionMode.refusal("jdbc:h2:tcp://db/credits", null, false)).isNotNull();
    }

    @Test
    @DisplayName("the refusal is one line that names the database without its parameters (no password)")
    void oneLine() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", PG);
        assertThatThrownBy(() -> new ProductionMode().postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(ProductionMode.Refused.class)
                .hasMessageContaining("jdbc:postgresql://db:5432/credits)").hasMessageNotContaining("hunter2")
                .hasMessageContaining("credits.allow-development-admin-key=true")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        new ProductionMode().postProcessEnvironment(env.withProperty("credits.allow-development-admin-key", "true"),
                new SpringApplication());
    }
}
