package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings check on the real template and README, and on broken copies: a variable the template stops setting
 * that the README says is required, and one the README stops documenting.
 */
class SettingsCheckTest {
    private static final Map<String, Boolean> SWEEP_READS = Map.of("TABLE_NAME", true, "SWEEP_CONCURRENCY", true,
            "SNAPTRADE_READ_TIMEOUT_SECONDS", false, "AWS_REGION", true, "METRICS_NAMESPACE", true);

    private static String readme() throws IOException {
        return Files.readString(RepoPaths.root().resolve("README.md"));
    }

    @Test
    void theTemplateAndTheReadmeCoverWhatTheSweepReads() throws IOException {
        assertEquals(List.of(), SettingsCheck.problems(CloudFormationTemplate.load().tree(), "SweepFunction",
                SWEEP_READS, readme()));
    }

    @Test
    void aRequiredVariableTheTemplateNoLongerSetsFails() throws IOException {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree().deepCopy();
        ((ObjectNode) broken.at("/Globals/Function/Environment/Variables")).remove("TABLE_NAME");
        assertEquals(List.of("SweepFunction: TABLE_NAME is read, but the template does not set it and the README's "
                + "Configuration table says it is required"),
                SettingsCheck.problems(broken, "SweepFunction", SWEEP_READS, readme()));
    }

    @Test
    void aDefaultedVariableTheReadmeNoLongerDocumentsFails() throws IOException {
        String broken = readme().replace("`SNAPTRADE_CONNECT_TIMEOUT_SECONDS`, `SNAPTRADE_READ_TIMEOUT_SECONDS`, ",
                "`SNAPTRADE_CONNECT_TIMEOUT_SECONDS`, ");
        assertEquals(List.of("SweepFunction: SNAPTRADE_READ_TIMEOUT_SECONDS is read, but the template does not set it "
                + "and the README's Configuration table does not list it"),
                SettingsCheck.problems(CloudFormationTemplate.load().tree(), "SweepFunction", SWEEP_READS, broken));
    }

    @Test
    void aConditionallySetVariableMustBeDocumentedAsOptional() {
        assertEquals(List.of("ApiFunction: RETURN_LANDING_URL is read, but the template does not set it and the "
                + "README's Configuration table does not list it"),
                SettingsCheck.problems(CloudFormationTemplate.load().tree(), "ApiFunction",
                        Map.of("RETURN_LANDING_URL", false), "\n## Configuration\n| `TABLE_NAME` | yes | x |\n"));
    }
}
