package dev.creditspolicy.policy;

import java.util.List;

import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

/**
 * Builds the KieBase of one rules version with the executable model. Each version gets its own ReleaseId, and the
 * module is removed from the KieRepository once built (the KieBase lives on in its RuleSet), so reloads do not pile
 * up modules.
 */
final class KieBases {
    private static final String RESOURCE_DIR = "src/main/resources/creditspolicy/rules/";

    private KieBases() {
    }

    /**
     * @param sources the rule files as DRL (decision tables already expanded)
     * @throws RulesInvalidException with every error located in the files
     */
    static KieBase build(String version, List<RuleFile> sources) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("dev.creditspolicy", "rules-" + version, "1.0.0");
        try {
            KieFileSystem kfs = ks.newKieFileSystem();
            kfs.generateAndWritePomXML(releaseId);
            for (RuleFile f : sources) {
                kfs.write(RESOURCE_DIR + f.name(), f.content());
            }
            KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
            List<Message> messages = builder.getResults().getMessages(Message.Level.ERROR);
            List<RuleError> errors = new DroolsErrors(sources).locateAll(messages);
            if (!errors.isEmpty()) {
                throw new RulesInvalidException(errors);
            }
            return ks.newKieContainer(releaseId).getKieBase();
        } finally {
            ks.getRepository().removeKieModule(releaseId);
        }
    }
}
