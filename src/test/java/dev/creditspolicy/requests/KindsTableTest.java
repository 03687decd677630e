package dev.creditspolicy.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md's table of request kinds says what each kind declares: its route, who may call it, its success
 * status, its audit action, its step, its class and the account event it leaves. A kind added or changed without
 * its row fails here, naming the row it expects.
 */
class KindsTableTest {
    @Test
    @DisplayName("docs/design.md's table of request kinds is the kinds' declarations")
    void theTableIsTheDeclarations() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(Path.of("docs/design.md"))) {
            if (line.startsWith("| kind | HTTP |")) {
                inTable = true;
            } else if (inTable && !line.startsWith("|")) {
                break;
            } else if (inTable && !line.startsWith("|---")) {
                String[] cells = line.split("\\|", -1);
                // the cells after the kind's name (its words are the reader's)
                rows.add(Arrays.stream(cells, 2, cells.length - 1).map(String::trim).toList());
            }
        }
        assertEquals(Kinds.ALL.stream().map(KindsTableTest::row).toList(), rows);
    }

    /** A kind's row, as its declarations say it. */
    private static List<String> row(RequestKind<?, ?> kind) {
        Endpoint e = kind.endpoint();
        String roles = (e.roles().equals(Endpoint.CALLERS) ? "service" : e.roles().equals(Endpoint.OPERATORS)
                ? "operator" : e.roles().toString()) + (e.viewer() ? ", viewer" : "");
        return List.of("`" + e.name() + "`", roles, String.valueOf(e.status()),
                e.audit() == null ? "" : "`" + e.audit() + "`", "`" + kind.step() + "`",
                "`" + kind.getClass().getSimpleName() + "`", kind.event() == null ? "" : "`" + kind.event() + "`");
    }
}
