package dev.creditspolicy.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.creditspolicy.access.ApiKey;

/** After authentication: an authenticated caller draws one token from its bucket per request ({@link RateLimits}). */
final class RateLimitFilter extends OncePerRequestFilter {
    private final RateLimits limits;

    RateLimitFilter(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a instanceof BearerKeys.KeyToken token && token.isAuthenticated()) {
            long rate = limits.perSecond(token.getPrincipal() instanceof ApiKey key ? key.roles() : null);
            if (!limits.admitCaller(token.getName(), rate, request, response)) {
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
