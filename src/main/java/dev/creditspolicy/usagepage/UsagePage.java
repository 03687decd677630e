package dev.creditspolicy.usagepage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.creditspolicy.policy.facts.Product;

/**
 * The Usage page (issue 16): {@code /usage} is one static HTML page with its own script and style sheet
 * ({@code static/usage/}), all served by the jar; the page reads the account through the HTTP API with the viewer
 * token of its link ({@code /usage?token=cpv_...}) or an operator key typed into it. {@code /usage/settings} tells it
 * which products its usage details list ({@code credits.usage-page.products}) and which it sums up in one line (the
 * others); the Credits card is the whole balance. Chart.js comes from its WebJar ({@code /webjars/chart.js/...}),
 * the words from {@code static/usage/i18n/}, so the page's CSP stays its own origin.
 */
@RestController
class UsagePage {
    /** No referrer (the link carries the token), nothing from elsewhere, and never cached. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final List<Product> products;
    private final byte[] html;

    UsagePage(@Value("${credits.usage-page.products:QODERWORK,CLI}") String products) throws IOException {
        this.products = parse(products);
        try (InputStream in = new ClassPathResource("static/usage/index.html").getInputStream()) {
            this.html = in.readAllBytes();
        }
    }

    static List<Product> parse(String setting) {
        try {
            return Arrays.stream(setting.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(Product::valueOf).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("credits.usage-page.products: '" + setting
                    + "' is not a comma-separated list of " + Arrays.toString(Product.values()), e);
        }
    }

    @GetMapping("/usage")
    ResponseEntity<String> page() {
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore()).header("Content-Security-Policy", CSP)
                .header("Referrer-Policy", "no-referrer").body(new String(html, StandardCharsets.UTF_8));
    }

    @GetMapping("/usage/settings")
    ResponseEntity<Map<String, Object>> settings() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                .body(Map.of("products", products.stream().map(Enum::name).toList(),
                        "otherProducts", Arrays.stream(Product.values()).filter(p -> !products.contains(p))
                                .map(Enum::name).toList()));
    }
}
