package dev.creditspolicy.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import dev.creditspolicy.replay.Replay;
import dev.creditspolicy.replay.ScenarioRunner;

/**
 * {@code --junit-xml FILE}: a replay's outcome as a JUnit XML report (the Ant/Surefire form CI servers read): one
 * test case per scenario (class name: its file), a failed one with its failing steps; what could not be replayed at
 * all (an empty folder, an unreadable file) is a failed test case of its own. Written with StAX, so every text is
 * escaped by the XML library.
 */
final class JunitXml {
    private JunitXml() {
    }

    static void write(Path file, String suite, Replay.Outcome outcome) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suite);
            xml.writeAttribute("tests", String.valueOf(outcome.results().size() + outcome.unusable().size()));
            xml.writeAttribute("failures", String.valueOf(outcome.failed()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", "0");
            for (String why : outcome.unusable()) {
                testCase(xml, suite, "unusable input", why);
            }
            for (ScenarioRunner.Result r : outcome.results()) {
                testCase(xml, r.file(), r.name(), r.passed() ? null : String.join("\n", r.failures()));
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void testCase(XMLStreamWriter xml, String className, String name, String failure)
            throws XMLStreamException {
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", className);
        xml.writeAttribute("name", name == null ? "" : name);
        if (failure != null) {
            xml.writeStartElement("failure");
            xml.writeAttribute("message", failure.lines().findFirst().orElse("failed"));
            xml.writeCharacters(failure);
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
}
