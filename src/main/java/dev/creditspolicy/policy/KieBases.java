package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

/**
 * Builds the KieBase of one rules version with the executable model. Each build gets its own ReleaseId, and the
 * module is removed from the KieRepository once built (the KieBase lives on in its RuleSet), so reloads do not pile
 * up modules.
 */
final class KieBases {
    private static final String RESOURCE_DIR = "src/main/resources/creditspolicy/rules/";
    /** Stands for the '/' of a file in a subfolder (tables/<name>.csv): one folder, the rules' package, for all. */
    private static final String SUBFOLDER = "--";

    static String resourceName(String fileName) {
        return fileName.replace("/", SUBFOLDER);
    }

    /** The rule file a resource of the build stands for (the inverse of {@link #resourceName}). */
    static String fileName(String resourceName) {
        return resourceName.replace(SUBFOLDER, "/");
    }

    private KieBases() {
    }

    /**
     * @param sources the rule files as DRL (decision tables already expanded)
     * @throws RulesInvalidException with every error located in the files
     */
    static KieBase build(String version, List<RuleFile> sources) {
        List<RuleError> errors = new ArrayList<>();
        KieBase built = tryBuild(version, sources, errors);
        if (built != null) {
            return built;
        }
        // The executable model does not always report a mistake in every file of one build (after an unknown
        // property in one file, a mistake in another may go unsaid). So the files without a reported error are built
        // again on their own, until they build or report nothing new: an analyst sees every file's mistakes at once.
        List<RuleFile> rest = sources;
        for (int round = 1; round < sources.size(); round++) {
            Set<String> failed = errors.stream().map(RuleError::file).collect(Collectors.toSet());
            rest = rest.stream().filter(f -> !failed.contains(f.name())).toList();
            List<RuleError> more = new ArrayList<>();
            if (rest.isEmpty() || tryBuild(version + "-" + round, rest, more) != null) {
                break;
            }
            more.stream().filter(e -> !errors.contains(e)).forEach(errors::add);
        }
        throw new RulesInvalidException(errors);
    }

    /** The KieBase, or null with the located errors added to {@code errors}. */
    private static KieBase tryBuild(String version, List<RuleFile> sources, List<RuleError> errors) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("dev.creditspolicy", "rules-" + version, "1.0.0");
        try {
            KieFileSystem kfs = ks.newKieFileSystem();
            kfs.generateAndWritePomXML(releaseId);
            for (RuleFile f : sources) {
                kfs.write(RESOURCE_DIR + resourceName(f.name()), f.content());
            }
            KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
            List<Message> messages = builder.getResults().getMessages(Message.Level.ERROR);
            List<RuleError> located = new DroolsErrors(sources).locateAll(messages);
            if (!located.isEmpty()) {
                errors.addAll(located);
                return null;
            }
            return ks.newKieContainer(releaseId).getKieBase();
        } finally {
            ks.getRepository().removeKieModule(releaseId);
        }
    }
}
