package dev.creditspolicy.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.creditspolicy.paging.Page;

/**
 * A page as every list answers it (SPEC section 9): a JSON array and, when more remain, {@code Link: <...>;
 * rel="next"}: this request's path and query with {@code after} set to the page's cursor (a relative reference,
 * resolved against the request's own URI, so no Host header is echoed).
 */
final class Paged {
    private Paged() {
    }

    static <T> ResponseEntity<List<T>> of(Page<T> page) {
        var answer = ResponseEntity.ok();
        if (page.next() != null) {
            answer.header(HttpHeaders.LINK, "<" + next(page.next().encode()) + ">; rel=\"next\"");
        }
        return answer.body(page.items());
    }

    private static String next(String cursor) {
        HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes())
                .getRequest();
        StringBuilder uri = new StringBuilder(request.getRequestURI()).append('?');
        for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
            if (!p.getKey().equals("after")) {
                for (String v : p.getValue()) {
                    uri.append(encode(p.getKey())).append('=').append(encode(v)).append('&');
                }
            }
        }
        return uri.append("after=").append(cursor).toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
