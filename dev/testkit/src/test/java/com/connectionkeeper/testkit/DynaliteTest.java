package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The dynalite harness: template-shaped tables, DynamoDB semantics, and the dedicated server's stop and restart. */
@ExtendWith(Dynalite.class)
@Integration
class DynaliteTest {

    private static final String TABLE = "ConnectionsTable";

    @Test
    void freshTableHasExactlyTheTemplatesKeysAndIndexes(DynamoDbClient client) {
        JsonNode expected = CloudFormationTemplate.load().resource(TABLE).path("Properties");
        String name = Dynalite.createTable();

        TableDescription table = client.describeTable(request -> request.tableName(name)).table();

        assertEquals(keys(expected.path("KeySchema")), keys(table.keySchema()));
        assertEquals(attributes(expected.path("AttributeDefinitions")), table.attributeDefinitions().stream()
                .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString(), (a, b) -> a,
                        TreeMap::new)));
        Map<String, String> expectedIndexes = new TreeMap<>();
        expected.path("GlobalSecondaryIndexes").forEach(index -> expectedIndexes.put(index.path("IndexName").asText(),
                keys(index.path("KeySchema")) + " " + projection(index.path("Projection"))));
        assertEquals(expectedIndexes, table.globalSecondaryIndexes().stream().collect(Collectors.toMap(
                index -> index.indexName(), index -> keys(index.keySchema()) + " " + projection(index.projection()),
                (a, b) -> a, TreeMap::new)));
        assertTrue(table.localSecondaryIndexes().isEmpty());
    }

    @Test
    void everyCreatedTableIsNewAndEmpty(DynamoDbClient client) {
        String first = Dynalite.createTable();
        client.putItem(request -> request.tableName(first).item(item("USER#1", "PROFILE")));
        String second = Dynalite.createTable();

        assertNotEquals(first, second);
        assertEquals(0, client.scan(request -> request.tableName(second)).count());
    }

    @Test
    void putThenGetReturnsTheItem(DynamoDbClient client) {
        String name = Dynalite.createTable();
        Map<String, AttributeValue> item = item("USER#1", "CONNECTION#abc");

        client.putItem(request -> request.tableName(name).item(item));

        assertEquals(item, client.getItem(request -> request.tableName(name).key(key(item)).consistentRead(true)).item());
    }

    @Test
    void conditionalWriteOnAnExistingItemFailsAndLeavesIt(DynamoDbClient client) {
        String name = Dynalite.createTable();
        Map<String, AttributeValue> original = item("USER#1", "CONNECTION#abc");
        client.putItem(request -> request.tableName(name).item(original));
        Map<String, AttributeValue> replacement = new TreeMap<>(original);
        replacement.put("status", AttributeValue.fromS("BROKEN"));

        assertThrows(ConditionalCheckFailedException.class, () -> client.putItem(request -> request.tableName(name)
                .item(replacement).conditionExpression("attribute_not_exists(pk)")));
        assertEquals(original, client.getItem(request -> request.tableName(name).key(key(original))).item());
    }

    @Test
    void dedicatedServerKeepsItsDataAcrossStopAndStartOnTheSamePort(@TempDir Path dataDir) {
        Set<Long> childrenBefore = childPids();
        try (DynaliteServer server = DynaliteServer.startDedicated(dataDir);
                DynamoDbClient client = DynaliteServer.clientBuilder(server.endpoint())
                        .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            String name = server.createTable();
            Map<String, AttributeValue> item = item("USER#1", "CONNECTION#abc");
            client.putItem(request -> request.tableName(name).item(item));
            int port = server.port();

            server.stop();
            assertFalse(server.isRunning());
            assertThrows(SdkClientException.class,
                    () -> client.getItem(request -> request.tableName(name).key(key(item))));

            server.start();
            assertEquals(port, server.port());
            assertEquals(item, client.getItem(request -> request.tableName(name).key(key(item))).item());
        }
        assertEquals(childrenBefore, childPids(), "the dedicated dynalite's node process is gone after close()");
    }

    @Test
    void killedJvmLeavesNoDynaliteBehind() throws IOException, InterruptedException {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dck.root=" + RepoPaths.root(),
                DynaliteChildJvm.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals(DynaliteChildJvm.READY, output.readLine());
            List<ProcessHandle> dynalite = jvm.descendants().toList();
            assertEquals(1, dynalite.size(), "the child JVM runs one dynalite");

            jvm.destroyForcibly().waitFor();

            assertDoesNotThrow(() -> dynalite.get(0).onExit().get(10, TimeUnit.SECONDS),
                    "dynalite exits within 10 s of the JVM that started it being killed");
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk),
                "entity", AttributeValue.fromS("CONNECTION"), "status", AttributeValue.fromS("ACTIVE"));
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String keys(JsonNode keySchema) {
        StringBuilder keys = new StringBuilder();
        keySchema.forEach(key -> keys.append(key.path("AttributeName").asText()).append(' ')
                .append(key.path("KeyType").asText()).append(';'));
        return keys.toString();
    }

    private static String keys(List<KeySchemaElement> keySchema) {
        return keySchema.stream().map(key -> key.attributeName() + " " + key.keyTypeAsString() + ";")
                .collect(Collectors.joining());
    }

    private static Map<String, String> attributes(JsonNode definitions) {
        Map<String, String> attributes = new TreeMap<>();
        definitions.forEach(a -> attributes.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
        return attributes;
    }

    private static String projection(JsonNode projection) {
        Set<String> nonKey = new TreeSet<>();
        projection.path("NonKeyAttributes").forEach(attribute -> nonKey.add(attribute.asText()));
        return projection.path("ProjectionType").asText() + nonKey;
    }

    private static String projection(Projection projection) {
        return projection.projectionTypeAsString() + new TreeSet<>(projection.nonKeyAttributes());
    }
}
