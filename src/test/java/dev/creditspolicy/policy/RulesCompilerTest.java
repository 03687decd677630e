package dev.creditspolicy.policy;

import java.nio.file.*;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesCompilerTest {
    void probe(String label, String file, String from, String to) throws Exception {
        Path dir = Files.createTempDirectory("probe");
        for (Path p : Files.list(Path.of("rules")).toList()) Files.copy(p, dir.resolve(p.getFileName()));
        Path f = dir.resolve(file);
        String c = Files.readString(f);
        if (!c.contains(from)) throw new AssertionError("no " + from);
        Files.writeString(f, c.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        try {
            var ks = org.kie.api.KieServices.Factory.get();
            var kfs = ks.newKieFileSystem();
            kfs.generateAndWritePomXML(ks.newReleaseId("x", label.replace(' ', '-'), "1"));
            for (RuleFile rf : RulesCompiler.read(dir)) kfs.write("src/main/resources/creditspolicy/rules/" + rf.name(), rf.content());
            var b = ks.newKieBuilder(kfs).buildAll(org.drools.model.codegen.ExecutableModelProject.class);
            if (false) for (var m : b.getResults().getMessages()) System.out.println("RAW " + label + " path=" + m.getPath() + " line=" + m.getLine() + " col=" + m.getColumn() + " class=" + m.getClass() + "\n" + m.getText() + "\nENDRAW");
            RulesCompiler.compile(RulesCompiler.read(dir), Instant.now());
            System.out.println("PROBE " + label + ": COMPILED");
        } catch (RulesInvalidException e) {
            for (RuleError err : e.errors()) System.out.println("PROBE " + label + ": " + err);
        }
    }
    @Test void probes() throws Exception {
        probe("missing end", "exemption.drl", "FAILED_CALL));\nend", "FAILED_CALL));\n");
        probe("missing then", "sharing.drl", "isActiveAt($call.occurredAt) )\nthen\n    insert(new EligibleLot($lot, drools.getRule().getName()));\nend\n\nrule \"Before", "isActiveAt($call.occurredAt) )\n    insert(new EligibleLot($lot, drools.getRule().getName()));\nend\n\nrule \"Before");
        probe("unknown prop", "exemption.drl", "UsageCall( outcome == Outcome.FAILED )", "UsageCall( outcom == Outcome.FAILED )");
        probe("unknown prop 2", "sharing.drl", "realm == $call.realm,\n                isActiveAt($call.occurredAt) )\nthen\n    insert(new EligibleLot($lot, drools.getRule().getName()));\nend\n\nrule \"Before", "realm == $call.relm,\n                isActiveAt($call.occurredAt) )\nthen\n    insert(new EligibleLot($lot, drools.getRule().getName()));\nend\n\nrule \"Before");
        probe("unknown prop 3", "expiry.drl", "plan == $change.fromPlan", "plan == $change.fromPlann");
        probe("unknown prop 4", "sharing.drl", "AddonGrant( tier == Tier.ENTERPRISE", "AddonGrant( tierr == Tier.ENTERPRISE");
        probe("unknown enum", "sharing.drl", "Product.MOBILE) )", "Product.MOBIL) )");
        probe("unknown class", "exemption.drl", "UsageCall( outcome == Outcome.FAILED )", "UsageCal( outcome == Outcome.FAILED )");
        probe("java error", "exemption.drl", "insert(new Exemption(Reason.FAILED_CALL));", "insert(new Exemption(Reason.FAILED_CAL));");
        probe("java error 2", "expiry.drl", "insert(new ExpiryChange($lot, $change.getAt(), drools.getRule().getName()));", "insert(new ExpiryChange($lot, $change.getAtt(), drools.getRule().getName()));");
        probe("java syntax", "priority.drl", "OrderKey.LOT_ID));", "OrderKey.LOT_ID))");
        probe("missing priority", "priority.drl", "    insert(new DeductionOrder(OrderKey.SOONEST_EXPIRY, OrderKey.PLAN_BEFORE_ADDON,\n                              OrderKey.EARLIEST_EFFECTIVE_AT, OrderKey.LOT_ID));\n", "");
        probe("bad instant", "exemption.drl", "2026-05-20T12:00+08:00\")", "2026-05-20 12:00\")");
        probe("type mismatch", "exemption.drl", "occurredAt < Instants", "credits < Instants");
    
        probe("unknown prop later rule same expr", "sharing.drl", "$lot : Lot( originProduct != null, accountId == $call.accountId, realm == $call.realm,\n                isActiveAt($call.occurredAt) )", "$lot : Lot( originProduct != null, accountId == $call.accountId, realm == $call.realm,\n                isActivAt($call.occurredAt) )");
        probe("unknown prop lot field", "sharing.drl", "$lot : Lot( originProduct != null, accountId", "$lot : Lot( originProdct != null, accountId");
        probe("unknown prop multiline", "sharing.drl", "UsageCall( tier == Tier.PERSONAL,\n               product in", "UsageCall( tier == Tier.PERSONAL,\n               prodct in");
        probe("unknown prop in 2nd rule", "exemption.drl", "UsageCall( outcome == Outcome.SUCCEEDED, occurredAt <", "UsageCall( outcome == Outcome.SUCCEEDED, occuredAt <");
        probe("unknown prop 2nd rule compare", "expiry.drl", "accountId == $change.accountId", "accountId == $change.acountId");
        probe("unknown method", "expiry.drl", "isActiveAt($change.at)", "isActiveAt($change.att)");
        probe("grace", "expiry.drl", "$change.getAt()", "$change.atPlusHours(\"x\")");
        probe("missing quote", "priority.drl", "rule \"Soonest", "rule Soonest");
        probe("missing paren", "sharing.drl", "AddonGrant( tier == Tier.ENTERPRISE, $plan : plan )", "AddonGrant( tier == Tier.ENTERPRISE, $plan : plan");
        probe("dup rule", "exemption.drl", "rule \"A successful call before the Credits model starts (2026-05-20T12:00+08:00) is exempt\"", "rule \"A failed call is exempt: only successful model calls are charged\"");
        probe("java multi", "priority.drl", "OrderKey.EARLIEST_EFFECTIVE_AT, OrderKey.LOT_ID", "OrderKey.EARLIEST_EFFECTIVE, OrderKey.LOT_ID");
        probe("java sharing 3rd", "sharing.drl", "serves the products its tier shares with\"\nwhen\n    $call : UsageCall( occurredAt >= Instants.at(\"2026-06-20T00:00+08:00\") )\n    SharedWithProduct()\n    $lot : Lot( originProduct != null, accountId == $call.accountId, realm == $call.realm,\n                isActiveAt($call.occurredAt) )\nthen\n    insert(new EligibleLot($lot, drools.getRule().getName()));", "serves the products its tier shares with\"\nwhen\n    $call : UsageCall( occurredAt >= Instants.at(\"2026-06-20T00:00+08:00\") )\n    SharedWithProduct()\n    $lot : Lot( originProduct != null, accountId == $call.accountId, realm == $call.realm,\n                isActiveAt($call.occurredAt) )\nthen\n    insert(new EligibleLot($lott, drools.getRule().getName()));");
        probe("java ctor", "expiry.drl", "new ExpiryChange($lot, $change.getAt(), drools.getRule().getName())", "new ExpiryChange($lot, $change.getAt())");
        probe("java type", "sharing.drl", "new SharedWithProduct());\nend\n\nrule \"Enterprise", "new SharedWithProdct());\nend\n\nrule \"Enterprise");
        probe("unbound var", "sharing.drl", "originProduct == $call.product", "originProduct == $cal.product");
    }
}
