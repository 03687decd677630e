package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.KEY_EXISTS;
import static dev.creditspolicy.service.ProblemType.LAST_ADMIN;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_KEY;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.api.contract.AdminBodies.KeyBody;
import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.access.ApiKey;
import dev.creditspolicy.access.Keys;
import dev.creditspolicy.access.Role;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.requests.Ids;
import dev.creditspolicy.service.Problem;

/** Managing keys (admin only, see {@link Security}): create (the secret answered once), list, revoke. */
@RestController
@RequestMapping("/v1/keys")
@Tag(name = "keys", description = "API keys (admin)")
class KeysController {
    private final Keys keys;
    private final Audited audited;

    KeysController(Keys keys, Audited audited) {
        this.keys = keys;
        this.audited = audited;
    }

    /** A key as listed: never its secret. */
    record KeyView(String name, List<String> roles, List<Realm> realms, java.time.Instant createdAt,
                   java.time.Instant lastUsedAt, java.time.Instant revokedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.name(), k.roles().stream().sorted().map(Role::wire).toList(),
                    k.realms().stream().sorted().toList(), k.createdAt(), k.lastUsedAt(), k.revokedAt());
        }
    }

    /** The answer to a creation: the key and, this once, its secret. */
    record CreatedView(String name, List<String> roles, List<Realm> realms, java.time.Instant createdAt,
                       String secret) {
    }

    @PostMapping
    @Operation(operationId = "createKey", summary = "Creates a key; its secret is answered this once")
    @Answers(status = 201, refuses = KEY_EXISTS)
    ResponseEntity<CreatedView> create(@RequestBody @Schema(implementation = KeyBody.class) JsonNode body) {
        KeyRequest asked = KeyRequest.parse(body);
        Keys.Created created = keys.create(Callers.key(), asked.name(), asked.roles(), asked.realms());
        KeyView view = KeyView.of(created.key());
        audited.record("keyCreate", asked.name(), body.toString(), view);
        return ResponseEntity.created(Responses.location("/v1/keys/{name}", asked.name())).body(new CreatedView(
                view.name(), view.roles(), view.realms(), view.createdAt(), created.secret()));
    }

    /** A key to create, {@code {name, roles, realms}}, read and checked on its parsed forms. */
    record KeyRequest(String name, Set<Role> roles, Set<Realm> realms) {
        static KeyRequest parse(JsonNode body) {
            Fields f = new Fields(body, Set.of("name", "roles", "realms"));
            String name = Ids.checkKeyName("name", f.text("name"));
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String s : texts(body, "roles")) {
                Role r = Role.ofWire(s);
                if (r == null) {
                    throw Problem.invalid("roles", "unknown role '" + Fields.shown(s)
                            + "'; allowed: service, operator, analyst, admin");
                }
                roles.add(r);
            }
            Set<Realm> realms = EnumSet.noneOf(Realm.class);
            for (String s : texts(body, "realms")) {
                try {
                    realms.add(Realm.valueOf(s));
                } catch (IllegalArgumentException e) {
                    throw Problem.invalid("realms", "unknown realm '" + Fields.shown(s) + "'; allowed: "
                            + java.util.Arrays.toString(Realm.values()));
                }
            }
            return new KeyRequest(name, roles, realms);
        }
    }

    @GetMapping
    @Operation(operationId = "listKeys", summary = "The keys, never their secrets")
    ResponseEntity<List<KeyView>> list(@RequestParam(required = false) String limit,
                                       @RequestParam(required = false) String after) {
        return Paged.of(keys.list(PageRequest.parse(limit, after)).map(KeyView::of));
    }

    @DeleteMapping("/{name}")
    @Operation(operationId = "revokeKey", summary = "Revokes a key")
    @Answers(refuses = {UNKNOWN_KEY, LAST_ADMIN})
    KeyView revoke(@PathVariable String name) {
        return revokeNamed(name);
    }

    /**
     * {@code DELETE /v1/keys?name=...}: the same revocation for a name no path can carry: keys named {@code .} or
     * {@code ..} could be created before key names had their syntax (a path segment of that name is resolved away).
     */
    @DeleteMapping(params = "name")
    @Operation(operationId = "revokeKeyByName", summary = "Revokes a key whose name no path can carry")
    @Answers(refuses = {UNKNOWN_KEY, LAST_ADMIN})
    KeyView revokeByQuery(@RequestParam String name) {
        return revokeNamed(name);
    }

    private KeyView revokeNamed(String name) {
        KeyView view = KeyView.of(keys.revoke(Callers.key(), name));
        audited.record("keyRevoke", name, null, view);
        return view;
    }

    /** A non-empty array of strings. */
    private static List<String> texts(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isArray() || n.isEmpty() || n.size() > 8) {
            throw Problem.invalid(field, "'" + field + "' is a list of 1 to 8 names");
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isString()) {
                throw Problem.invalid(field, "'" + field + "' is a list of names");
            }
            out.add(item.asString());
        }
        return out;
    }
}
