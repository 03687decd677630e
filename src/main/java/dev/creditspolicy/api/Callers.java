package dev.creditspolicy.api;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.creditspolicy.access.ApiKey;
import dev.creditspolicy.access.ViewerTokens;
import dev.creditspolicy.service.Scope;

/** The key of the request being answered (the security chain has checked it), as the service's {@link Scope}. */
final class Callers {
    private Callers() {
    }

    static ApiKey key() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a != null && a.getPrincipal() instanceof ApiKey key) {
            return key;
        }
        throw new IllegalStateException("no checked key for this request");
    }

    /** The caller's roles as one metric tag: {@code service}, {@code admin}, {@code operator+service}... */
    static String roles() {
        return key().roles().stream().sorted().map(dev.creditspolicy.access.Role::wire)
                .collect(java.util.stream.Collectors.joining("+"));
    }

    /**
     * The caller as the service's scope. A viewer token (already limited to its account's reads by the security
     * chain) reads its own account whatever its realm.
     */
    static Scope scope() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a != null && a.getPrincipal() instanceof ViewerTokens.Viewer v) {
            return new Scope("viewer:" + v.accountId(), Scope.ALL.realms());
        }
        ApiKey key = key();
        return new Scope(key.name(), key.realms());
    }
}
