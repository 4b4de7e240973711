package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle function's stream filter, as the template declares it: connection items (any write, and their
 * removal), deleted users and brokerage incidents reach it; everything else written to the table does not. A copy of
 * the template with a pattern missing fails the same checks.
 */
class StreamFilterTest {

    private static DynamodbStreamRecord record(String eventName, Map<String, String> oldImage,
                                               Map<String, String> newImage) {
        StreamRecord change = new StreamRecord();
        change.setOldImage(image(oldImage));
        change.setNewImage(image(newImage));
        DynamodbStreamRecord r = new DynamodbStreamRecord();
        r.setEventName(eventName);
        r.setDynamodb(change);
        return r;
    }

    private static Map<String, AttributeValue> image(Map<String, String> strings) {
        if (strings == null) {
            return null;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        strings.forEach((k, v) -> out.put(k, new AttributeValue().withS(v)));
        return out;
    }

    private static final Map<String, String> CONNECTION = Map.of("entity", "CONNECTION", "status", "BROKEN");
    private static final Map<String, String> INCIDENT = Map.of("entity", "INCIDENT", "status", "OPEN");

    private static void assertTheLifecycleFilter(StreamFilter filter) {
        assertTrue(filter.passes(record("MODIFY", CONNECTION, CONNECTION)), "a connection written");
        assertTrue(filter.passes(record("REMOVE", CONNECTION, null)), "a connection removed");
        assertTrue(filter.passes(record("MODIFY", Map.of("entity", "USER", "status", "ACTIVE"),
                Map.of("entity", "USER", "status", "DELETED"))), "a user deleted");
        assertTrue(filter.passes(record("INSERT", null, INCIDENT)), "an incident suspected");
        assertTrue(filter.passes(record("MODIFY", INCIDENT, Map.of("entity", "INCIDENT", "status", "ENDED"))),
                "an incident ended");
        assertFalse(filter.passes(record("MODIFY", null, Map.of("entity", "USER", "status", "ACTIVE"))), "a user");
        for (String entity : new String[] {"HISTORY", "LINK", "LIVE_LINK", "LINK_RATE", "BROKERAGE_BREAK",
                "BROKERAGE_MEMBER", "BROKERAGE_KNOWN", "PUBLISHED_EVENT"}) {
            assertFalse(filter.passes(record("INSERT", null, Map.of("entity", entity))), entity);
        }
        assertFalse(filter.passes(record("REMOVE", Map.of("entity", "HISTORY"), null)), "history expiring");
        assertFalse(filter.passes(record("REMOVE", INCIDENT, null)), "an incident removed: nothing to tell");
        assertFalse(filter.passes(record("INSERT", null, Map.of("pk", "SWEEP", "sk", "LEASE"))), "the sweep's lease");
    }

    @Test
    void theTemplatesLifecycleFilter() {
        assertTheLifecycleFilter(StreamFilter.lifecycle());
    }

    @Test
    void aTemplateWithoutTheIncidentPatternFailsTheSameCheck() throws IOException {
        String yaml = Files.readString(RepoPaths.template());
        String pattern = "                - Pattern: '{\"dynamodb\":{\"NewImage\":{\"entity\":{\"S\":[\"INCIDENT\"]}}}}'\n";
        assertTrue(yaml.contains(pattern), "the template's incident pattern, as this test knows it");
        StreamFilter broken = StreamFilter.of(CloudFormationTemplate.parse(yaml.replace(pattern, "")),
                "LifecycleFunction", "TableStream");
        AssertionError failure = assertThrows(AssertionError.class, () -> assertTheLifecycleFilter(broken));
        assertTrue(failure.getMessage().contains("an incident suspected"), failure.getMessage());
    }

    @Test
    void patternSyntaxItCannotJudgeFailsLoudly() {
        StreamFilter prefix = StreamFilter.ofPatterns(
                "{\"dynamodb\":{\"NewImage\":{\"entity\":{\"S\":[{\"prefix\":\"CONN\"}]}}}}");
        assertThrows(UnsupportedOperationException.class, () -> prefix.passes(record("INSERT", null, CONNECTION)));
        assertEquals(false, StreamFilter.ofPatterns("{\"eventName\":[\"REMOVE\"]}")
                .passes(record("INSERT", null, CONNECTION)));
    }
}
