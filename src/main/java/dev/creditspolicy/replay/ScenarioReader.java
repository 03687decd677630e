package dev.creditspolicy.replay;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads scenario YAML into JSON trees, keeping each step's line. Scalars are taken as written: numbers become
 * exact decimals (never double), instants stay strings with their offset, so the service parses them as the
 * HTTP API would.
 */
public final class ScenarioReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ScenarioReader() {
    }

    public static Scenario read(Path path) {
        String file = path.toString();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(file, reader);
        } catch (IOException e) {
            throw new ScenarioException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    /** A scenario of the bundled suite, named as {@link Bundled#name()} says in every message. */
    public static Scenario read(Bundled scenario) {
        return read(scenario.name(), new StringReader(scenario.text()));
    }

    private static Scenario read(String file, Reader reader) {
        try {
            Node root = new Yaml(new LoaderOptions()).compose(reader);
            return parse(file, root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new ScenarioException(file, line, "not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ScenarioException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    static Scenario parse(String file, Node root) {
        if (!(root instanceof MappingNode top)) {
            throw new ScenarioException(file, root == null ? 1 : line(root), "a scenario is a map with name and steps");
        }
        String name = null;
        SequenceNode steps = null;
        for (NodeTuple t : top.getValue()) {
            String key = key(file, t);
            switch (key) {
                case "name" -> name = scalar(file, t.getValueNode()).asString();
                case "steps" -> {
                    if (!(t.getValueNode() instanceof SequenceNode seq)) {
                        throw new ScenarioException(file, line(t.getValueNode()), "steps must be a list");
                    }
                    steps = seq;
                }
                default -> throw new ScenarioException(file, line(t.getKeyNode()),
                        "unknown key '" + key + "'; a scenario has: name, steps");
            }
        }
        if (name == null || steps == null) {
            throw new ScenarioException(file, line(top), "a scenario needs a name and steps");
        }
        List<Scenario.Step> out = new ArrayList<>();
        for (Node n : steps.getValue()) {
            out.add(step(file, out.size() + 1, n));
        }
        return new Scenario(file, name, List.copyOf(out));
    }

    private static Scenario.Step step(String file, int index, Node n) {
        if (!(n instanceof MappingNode map)) {
            throw new ScenarioException(file, line(n), "a step is a map like {usage: {...}, expect: {...}}");
        }
        String kind = null;
        ObjectNode body = null;
        ObjectNode expect = null;
        int expectLine = 0;
        for (NodeTuple t : map.getValue()) {
            String key = key(file, t);
            if (key.equals("expect")) {
                expect = object(file, t.getValueNode(), "expect");
                expectLine = line(t.getKeyNode());
            } else if (Scenario.KINDS.contains(key)) {
                if (kind != null) {
                    throw new ScenarioException(file, line(t.getKeyNode()), "a step has one kind; found " + kind
                            + " and " + key);
                }
                kind = key;
                body = object(file, t.getValueNode(), key);
            } else {
                throw new ScenarioException(file, line(t.getKeyNode()), "unknown step kind '" + key + "'; allowed: "
                        + String.join(", ", Scenario.KINDS) + ", expect");
            }
        }
        if (kind == null) {
            throw new ScenarioException(file, line(n), "a step needs one of: " + String.join(", ", Scenario.KINDS));
        }
        return new Scenario.Step(index, line(n), kind, body, expect, expectLine);
    }

    private static ObjectNode object(String file, Node n, String what) {
        JsonNode json = json(file, n);
        if (!json.isObject()) {
            throw new ScenarioException(file, line(n), what + " must be a map");
        }
        return (ObjectNode) json;
    }

    private static JsonNode json(String file, Node n) {
        if (n instanceof MappingNode map) {
            ObjectNode o = NODES.objectNode();
            for (NodeTuple t : map.getValue()) {
                String key = key(file, t);
                if (o.has(key)) {
                    throw new ScenarioException(file, line(t.getKeyNode()), "duplicate key '" + key + "'");
                }
                o.set(key, json(file, t.getValueNode()));
            }
            return o;
        }
        if (n instanceof SequenceNode seq) {
            ArrayNode a = NODES.arrayNode();
            for (Node item : seq.getValue()) {
                a.add(json(file, item));
            }
            return a;
        }
        return scalar(file, n);
    }

    private static JsonNode scalar(String file, Node n) {
        if (!(n instanceof ScalarNode s)) {
            throw new ScenarioException(file, line(n), "expected a single value");
        }
        String v = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return NODES.nullNode();
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            try {
                return NODES.numberNode(new BigDecimal(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return NODES.stringNode(v);
            }
        }
        if (tag.equals(Tag.BOOL)) {
            return NODES.booleanNode(Boolean.parseBoolean(v));
        }
        return NODES.stringNode(v);
    }

    private static String key(String file, NodeTuple t) {
        if (!(t.getKeyNode() instanceof ScalarNode s)) {
            throw new ScenarioException(file, line(t.getKeyNode()), "keys must be plain words");
        }
        return s.getValue();
    }

    static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    /** Where the build puts the scenario suite on the class path: pom.xml copies src/test/scenarios there. */
    public static final String BUNDLED_ROOT = "creditspolicy/scenarios/";

    /** The name every message gives the bundled suite. */
    public static final String BUNDLED_NAME = "classpath:" + BUNDLED_ROOT;

    /** A file of the bundled suite: its name ({@code classpath:creditspolicy/scenarios/<folder>/<file>}) and text. */
    public record Bundled(String name, String text) {
    }

    /**
     * The scenario files of the suite bundled in the build, in name order. Spring's resource resolver lists them
     * alike from a folder on the class path (tests, IDE), a plain jar and the Spring Boot jar (BOOT-INF/classes,
     * {@code jar:nested:} URLs). Empty when the build bundled none: the caller must treat that as a failure.
     */
    public static List<Bundled> bundled() {
        var resolver = new PathMatchingResourcePatternResolver(ScenarioReader.class.getClassLoader());
        Map<String, Bundled> byName = new TreeMap<>();
        try {
            for (String pattern : List.of("**/*.yaml", "**/*.yml")) {
                for (Resource r : resolver.getResources("classpath*:" + BUNDLED_ROOT + pattern)) {
                    String url = r.getURL().toString();
                    String name = BUNDLED_NAME + url.substring(url.lastIndexOf(BUNDLED_ROOT) + BUNDLED_ROOT.length());
                    if (!byName.containsKey(name)) { // the same file twice on the class path: the first one
                        byName.put(name, new Bundled(name, r.getContentAsString(StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            throw new ScenarioException(BUNDLED_NAME, 0, "cannot list the bundled suite: " + e.getMessage());
        }
        return List.copyOf(byName.values());
    }

    /** The scenario files of the given files and folders, folders walked in name order. */
    public static List<Path> files(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new ScenarioException(p.toString(), 0, "cannot list: " + e.getMessage());
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
