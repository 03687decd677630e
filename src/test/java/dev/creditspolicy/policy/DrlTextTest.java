package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one DRL scanner the sandbox and the error locator share. */
class DrlTextTest {
    private static final String DRL = String.join("\n",
            "// a comment naming System.exit",
            "package p;",
            "rule \"First\"",
            "when",
            "    /* a block comment",
            "       over two lines */ UsageCall( model == \"unclosed )",
            "then",
            "    insert(new Exemption(Reason.FAILED_CALL));",
            "end",
            "",
            "rule Second",
            "when",
            "then",
            "end");

    @Test
    @DisplayName("Comments and string literals are blanked, lines kept (an unclosed literal ends at its line)")
    void codeKeepsLines() {
        DrlText drl = DrlText.of(DRL);

        assertThat(drl.lineCount()).isEqualTo(14);
        assertThat(drl.code(1)).isBlank();
        assertThat(drl.code(5)).isBlank();
        assertThat(drl.code(6)).contains("UsageCall( model == \"\"").doesNotContain("unclosed");
        assertThat(drl.code(7)).isEqualTo("then");
        assertThat(drl.code(8)).contains("Reason.FAILED_CALL");
    }

    @Test
    @DisplayName("Rules are found with their `then` and `end`; a line between rules belongs to none")
    void ruleBlocks() {
        DrlText drl = DrlText.of(DRL);

        assertThat(drl.blocks()).containsExactly(new DrlText.RuleBlock("First", 3, 7, 9),
                new DrlText.RuleBlock("Second", 11, 13, 14));
        assertThat(drl.ruleAt(8)).isEqualTo("First");
        assertThat(drl.ruleAt(10)).isNull();
        assertThat(drl.ruleAt(2)).isNull();
    }

    @Test
    @DisplayName("A name is found in code only: not in comments, string literals or a rule's declaration")
    void findWord() {
        DrlText drl = DrlText.of(DRL);

        assertThat(drl.findWord("System")).isEqualTo(-1);
        assertThat(drl.findWord("unclosed")).isEqualTo(-1);
        assertThat(drl.findWord("Second")).isEqualTo(-1);
        assertThat(drl.findWord("Exemption")).isEqualTo(8);
        assertThat(drl.findText("Reason.FAILED_CALL")).isEqualTo(8);
    }
}
