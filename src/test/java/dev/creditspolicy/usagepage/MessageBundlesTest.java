package dev.creditspolicy.usagepage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;

/**
 * The Usage page's message bundles (issue 30): both languages have the same messages, with the same placeholders;
 * every message the page names (data-i18n in the HTML, t / nodes / named in the scripts) is in them; and every value
 * of every enum the page shows has a name, so no enum reaches a customer raw.
 */
class MessageBundlesTest {
    private static final Path PAGE = Path.of("src/main/resources/static/usage");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-zA-Z]+}");

    private static JsonNode bundle(String lang) throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(PAGE.resolve("i18n/" + lang + ".json")));
    }

    private static Set<String> keys(JsonNode bundle) {
        return new TreeSet<>(bundle.propertyNames());
    }

    @Test
    void bothLanguagesHaveTheSameMessagesWithTheSamePlaceholders() throws IOException {
        JsonNode en = bundle("en");
        JsonNode zh = bundle("zh-CN");
        assertThat(keys(en)).hasSizeGreaterThan(100).isEqualTo(keys(zh));
        for (String key : keys(en)) {
            assertThat(placeholders(zh.get(key).asString())).as(key)
                    .isEqualTo(placeholders(en.get(key).asString()));
            assertThat(zh.get(key).asString()).as(key).isNotBlank();
        }
    }

    @Test
    void everyMessageThePageNamesIsInTheBundles() throws IOException {
        Set<String> named = named();
        assertThat(named).as("messages named by the page").hasSizeGreaterThan(60);
        assertThat(keys(bundle("en"))).containsAll(named);
    }

    @Test
    void everyMessageInTheBundlesIsUsed() throws IOException {
        Set<String> unused = keys(bundle("en"));
        unused.removeAll(named());
        unused.removeAll(composed());
        assertThat(unused).as("messages nothing names").isEmpty();
    }

    private static Set<String> named() throws IOException {
        Set<String> named = new TreeSet<>();
        collect(Files.readString(PAGE.resolve("index.html")), Pattern.compile("data-i18n(?:-aria-label)?=\"([^\"]+)\""),
                named);
        try (Stream<Path> scripts = Files.list(PAGE)) {
            for (Path js : scripts.filter(p -> p.toString().endsWith(".js")).toList()) {
                collect(Files.readString(js), Pattern.compile("\\b(?:t|nodes)\\('([a-zA-Z.]+[a-zA-Z])'"), named);
            }
        }
        return named;
    }

    @Test
    void everyEnumThePageShowsHasANameInBothLanguages() throws IOException {
        Set<String> needed = composed();
        assertThat(keys(bundle("en"))).containsAll(needed);
        assertThat(keys(bundle("zh-CN"))).containsAll(needed);
    }

    /** The messages the scripts name by composing a key: an enum's value, a lot's state, a plural, a grouping. */
    private static Set<String> composed() {
        Set<String> needed = new TreeSet<>();
        add(needed, "plan", Plan.values());
        add(needed, "product", Product.values());
        add(needed, "feature", Feature.values());
        add(needed, "type", LotType.values());
        add(needed, "source", LotSource.values());
        add(needed, "status", Status.values());
        add(needed, "reason", Reason.values());
        add(needed, "kind", PlanChangeKind.values());
        add(needed, "realm", Realm.values());
        for (String s : new String[] {"ACTIVE", "USED_UP", "EXPIRED", "UPCOMING"}) {
            needed.add("lots.status." + s); // credits.js: a lot's state at the instant shown
        }
        needed.add("usage.calls.one"); // details.js: the other products' calls, by the language's plural rules
        needed.add("usage.calls.other");
        for (String g : new String[] {"product", "feature", "model", "day"}) {
            needed.add("usage.group." + g);
        }
        for (LotSource s : LotSource.values()) {
            needed.add("source." + s.creditsLogType()); // the Credits log's: PLAN_CREDITS, CREDIT_PURCHASE, PROMOTION
        }
        return needed;
    }

    private static void add(Set<String> keys, String kind, Enum<?>[] values) {
        for (Enum<?> v : values) {
            keys.add(kind + "." + v.name());
        }
    }

    private static void collect(String text, Pattern p, Set<String> into) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static Set<String> placeholders(String message) {
        Set<String> out = new TreeSet<>();
        collect(message, Pattern.compile("(" + PLACEHOLDER.pattern() + ")"), out);
        return out;
    }
}
