package dev.creditspolicy.api;

import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.creditspolicy.access.ApiKey;
import dev.creditspolicy.access.Keys;
import dev.creditspolicy.access.ViewerTokens;

/**
 * Who is calling: the bearer token read from {@code Authorization}, checked against {@link Keys} or
 * {@link ViewerTokens}. What a caller may then do is {@link Security}'s.
 */
final class BearerKeys {
    private BearerKeys() {
    }

    /** {@code Authorization: Bearer <key>}: null without the header (anonymous, refused where a key is needed). */
    static Authentication bearer(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders("Authorization"));
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadCredentialsException("more than one Authorization header");
        }
        String value = values.get(0);
        if (value.length() > Security.MAX_TOKEN_CHARS + 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new BadCredentialsException("send Authorization: Bearer <key>");
        }
        String token = value.substring(7).trim();
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new BadCredentialsException("send Authorization: Bearer <key>");
        }
        return new KeyToken(token, null, List.of());
    }

    /**
     * A bearer token: unchecked (the secret) until the provider answers it checked, with its principal (an
     * {@link ApiKey} and its roles, or a {@link ViewerTokens.Viewer} with the role VIEWER).
     */
    static final class KeyToken extends AbstractAuthenticationToken {
        private final String secret;
        private final Object key;

        KeyToken(String secret, Object key, List<SimpleGrantedAuthority> authorities) {
            super(authorities);
            this.secret = secret;
            this.key = key;
            setAuthenticated(key != null);
        }

        @Override
        public Object getCredentials() {
            return key == null ? secret : null;
        }

        @Override
        public Object getPrincipal() {
            return key;
        }

        @Override
        public String getName() {
            return key instanceof ApiKey k ? k.name()
                    : key instanceof ViewerTokens.Viewer v ? "viewer:" + v.accountId() : "";
        }
    }

    static final class KeyProvider implements AuthenticationProvider {
        private final Keys keys;
        private final ViewerTokens viewers;

        KeyProvider(Keys keys, ViewerTokens viewers) {
            this.keys = keys;
            this.viewers = viewers;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            String secret = ((KeyToken) authentication).secret;
            if (secret.startsWith(ViewerTokens.PREFIX)) {
                ViewerTokens.Viewer viewer = viewers.check(secret);
                if (viewer == null) {
                    throw new BadCredentialsException("the viewer token is malformed, tampered with or expired");
                }
                return new KeyToken(null, viewer, List.of(new SimpleGrantedAuthority("ROLE_VIEWER")));
            }
            ApiKey key = keys.authenticate(secret);
            if (key == null) {
                throw new BadCredentialsException("unknown or revoked key");
            }
            return new KeyToken(null, key,
                    key.roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
        }

        @Override
        public boolean supports(Class<?> type) {
            return KeyToken.class.isAssignableFrom(type);
        }
    }
}
