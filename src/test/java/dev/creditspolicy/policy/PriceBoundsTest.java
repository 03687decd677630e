package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The price table's bounds: each refused with the table's file and the row's line, quickly. */
@DisplayName("Price table bounds: rows, digits, magnitude of a rate and of a price")
class PriceBoundsTest {
    private static final String ROW = "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,";

    private static String table() throws IOException {
        String table = Files.readString(Path.of("rules", PriceTables.FILE));
        assertThat(table).contains(ROW);
        return table;
    }

    private static int lineOf(String text, String row) {
        return text.substring(0, text.indexOf(row)).split("\n", -1).length;
    }

    private static List<RuleError> refusal(String table) {
        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> PriceTables.read(new RuleFile(PriceTables.FILE, "-", table)));
        assertThat(e).as("the table must be refused").isNotNull();
        return e.errors();
    }

    private static RuleError refusedRow(String row) throws IOException {
        String table = table().replace(ROW, row);
        RuleError error = refusal(table).get(0);
        assertThat(error.file()).isEqualTo(PriceTables.FILE);
        assertThat(error.line()).isEqualTo(lineOf(table, row));
        return error;
    }

    @Test
    @DisplayName("a rate of 1e300 is refused: at most 1,000,000 credits per 1,000 tokens")
    void hugeRate() throws IOException {
        assertThat(refusedRow("qwen3-max rates,qwen3-max,,,1e300,0.15,2.4,").message())
                .isEqualTo("an input rate per 1,000 tokens is 1e300; at most 1000000");
    }

    @Test
    @DisplayName("a 900-digit rate is refused before it is parsed, and not echoed")
    void longNumber() throws IOException {
        RuleError error = refusedRow("qwen3-max rates,qwen3-max,,,0.6,0.15," + "9".repeat(900) + ",");
        assertThat(error.message()).isEqualTo("an output rate per 1,000 tokens has 900 characters; a number here "
                + "has at most 32");
    }

    @Test
    @DisplayName("a rate with more than 12 significant digits or 8 after the point is refused")
    void digits() throws IOException {
        assertThat(refusedRow("qwen3-max rates,qwen3-max,,,0.123456789,0.15,2.4,").message())
                .contains("at most 12 significant digits, 8 after the point");
    }

    @Test
    @DisplayName("rates whose costliest call would pass 1e12 credits are refused on their row")
    void hugePrice() throws IOException {
        assertThat(refusedRow("qwen3-max rates,qwen3-max,,,500000,0.15,2.4,").message())
                .contains("would cost more than 1000000000000 credits");
    }

    @Test
    @DisplayName("a table of 1,000,000 rows is refused at its 1,001st row, in seconds")
    void millionRows() throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            rows.append("m").append(i).append(" rates,m").append(i).append(",,,0.6,0.15,2.4,\n");
        }
        String table = table().replace(ROW + "\n", ROW + "\n" + rows);
        long start = System.nanoTime();

        List<RuleError> errors = refusal(table);

        long ms = (System.nanoTime() - start) / 1_000_000;
        // generous: measured well under a second on a shared, loaded machine
        assertThat(ms).isLessThan(10_000);
        RuleError last = errors.get(errors.size() - 1);
        // the table's own rate rows come first (qwen3-max's is the last of them), then these
        int own = PriceTables.read(new RuleFile(PriceTables.FILE, "-", table())).rates().size();
        assertThat(last.line()).isEqualTo(lineOf(table, "m" + (1_000 - own) + " rates,"));
        assertThat(last.message()).isEqualTo("more than 1000 rows; the table is read no further");
    }
}
