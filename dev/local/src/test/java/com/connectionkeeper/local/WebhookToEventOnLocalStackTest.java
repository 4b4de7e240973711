package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.lifecycle.EventKind;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.eventbus.EventDetails;
import com.connectionkeeper.store.Attributes;
import com.connectionkeeper.store.DynamoConnectionStore;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.OwnJvm;
import com.connectionkeeper.testkit.RepoPaths;
import com.connectionkeeper.testkit.StreamFilter;
import com.connectionkeeper.testkit.TableDefinitions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer.EnabledService;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The deployed path on LocalStack, where Docker exists (skipped otherwise, as on these build machines): the
 * template's table (keys, indexes, stream, encryption with its key), bus, keys and credentials secret created in
 * LocalStack from template.yaml's definitions, under the names a stack would give them; the real webhook and
 * lifecycle functions ({@link LambdaInvocation}), each in a JVM of its own with the environment the template gives
 * it, plus {@code _HANDLER} as Lambda sets it, the SDK's standard variables ({@code AWS_ENDPOINT_URL}, region, keys)
 * and the invoker's two file names — the consumer key read from the secret through {@code CREDENTIALS_SECRET_ID}, as
 * in AWS. Two signed SnapTrade webhooks (a connection added, then broken) make the
 * connection's state item BROKEN; the table's records, read from LocalStack's DynamoDB Streams from the template's
 * starting position and filtered by the template's filter criteria, are handed to the lifecycle function in batches
 * of the template's size, as Lambda's event source mapping hands them; and its events arrive on the bus, read back
 * through a rule that sends them to an SQS queue (test plumbing, not in the template). Not applied (nothing here
 * depends on them): the table's time to live, point-in-time recovery and deletion protection, the keys' policies and
 * rotation. "Under the names a stack would give them": the stack is {@code connection-keeper-local}, as for
 * ./keeper local; the table and the secret, which the template leaves unnamed, are named after it.
 */
@Testcontainers(disabledWithoutDocker = true)
@Integration
class WebhookToEventOnLocalStackTest {
    /** LocalStack keeps a table's stream in its own Kinesis: listed so that loading only these services keeps it. */
    @Container
    static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
            .withServices(Service.DYNAMODB, Service.DYNAMODB_STREAMS, Service.KINESIS, Service.KMS,
                    Service.SECRETSMANAGER, Service.SQS, EnabledService.named("events"));

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The stack name the template's {@code AWS::StackName} stands for (as in ./keeper local). */
    private static final String STACK = "connection-keeper-local";
    /** The credentials of ./keeper local: the events/ fixtures are signed with its consumer key. */
    private static final Map<String, String> PARAMETERS = Map.of("SnapTradeConsumerKey", LocalStack.CONSUMER_KEY,
            "SnapTradeClientId", LocalStack.CLIENT_ID, "ReconnectStateKey", LocalStack.STATE_KEY);
    private static final String ADDED = "webhook-lifecycle-1-connection-added.json";
    private static final String BROKEN = "webhook-lifecycle-2-connection-broken.json";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void aSignedBreakIsTheConnectionsStateAndComesOffTheBusAsOneConnectionBrokenEvent(@TempDir Path work)
            throws Exception {
        CloudFormationTemplate cfn = CloudFormationTemplate.load();
        LocalTemplate names = new LocalTemplate(RepoPaths.root(), cfn, PARAMETERS, Map.of());
        try (KmsClient kms = client(KmsClient.builder());
             SecretsManagerClient secrets = client(SecretsManagerClient.builder());
             EventBridgeClient events = client(EventBridgeClient.builder());
             SqsClient sqs = client(SqsClient.builder());
             DynamoDbClient dynamo = client(DynamoDbClient.builder());
             DynamoDbStreamsClient streams = client(DynamoDbStreamsClient.builder())) {
            // the template's resources
            String keeperKeyArn = createKey(kms, cfn, names, "KeeperKey").arn();
            String tableKeyId = createKey(kms, cfn, names, "TableKey").keyId();
            String bus = names.resolve(property(cfn, "LifecycleBus", "Name"), "LifecycleBus.Name");
            events.createEventBus(r -> r.name(bus));
            String secretArn = secrets.createSecret(r -> r.name(STACK + "-CredentialsSecret")
                    .description(names.resolve(property(cfn, "CredentialsSecret", "Description"),
                            "CredentialsSecret.Description"))
                    .secretString(names.resolve(property(cfn, "CredentialsSecret", "SecretString"),
                            "CredentialsSecret.SecretString"))).arn();
            String tableId = TableDefinitions.onlyTable(cfn);
            String table = STACK + "-" + tableId;
            // what Ref and Fn::GetAtt of those resources are, for the functions' environment and the table
            LocalTemplate template = new LocalTemplate(RepoPaths.root(), cfn, PARAMETERS, Map.of(tableId, table,
                    "LifecycleBus", bus, "CredentialsSecret", secretArn, "KeeperKey.Arn", keeperKeyArn,
                    "TableKey", tableKeyId));
            String streamArn = createTable(dynamo, streams, template, tableId, table);
            String queue = everyEventToAQueue(events, sqs, bus);
            Map<String, String> aws = Map.of("AWS_ENDPOINT_URL", LOCALSTACK.getEndpoint().toString(),
                    "AWS_REGION", LOCALSTACK.getRegion(), "AWS_ACCESS_KEY_ID", LOCALSTACK.getAccessKey(),
                    "AWS_SECRET_ACCESS_KEY", LOCALSTACK.getSecretKey());

            // webhook → state
            List<JsonNode> replies = invoke(template.function("WebhookFunction"), aws,
                    List.of(fixture(ADDED), fixture(BROKEN)), work);
            assertEquals(2, replies.size());
            for (JsonNode reply : replies) {
                assertEquals(200, reply.path("statusCode").asInt(), reply.toString());
                assertEquals("applied", JSON.readTree(reply.path("body").asText()).path("result").asText(),
                        reply.toString());
            }
            JsonNode webhook = JSON.readTree(fixture(BROKEN).path("body").asText());
            String userId = webhook.path("userId").asText();
            String connectionId = webhook.path("brokerageAuthorizationId").asText();
            Instant brokeAt = OffsetDateTime.parse(webhook.path("eventTimestamp").asText()).toInstant();
            ConnectionState state = new DynamoConnectionStore(new DynamoTable(dynamo, table), Duration.ofDays(1))
                    .connection(userId, connectionId)
                    .orElseThrow(() -> new AssertionError("no item of the connection in the table"));
            assertEquals(ConnectionStatus.BROKEN, state.status());
            assertEquals(brokeAt, state.brokenSince());
            assertEquals(webhook.path("eventType").asText(), state.lastEventType());

            // state → the table's stream → the lifecycle function, as its event source mapping hands records over
            JsonNode source = cfn.resource("LifecycleFunction").path("Properties").path("Events").path("TableStream")
                    .path("Properties");
            ShardIteratorType from = ShardIteratorType.fromValue(template.resolve(source.path("StartingPosition"),
                    "LifecycleFunction.TableStream.StartingPosition"));
            StreamFilter filter = StreamFilter.of(cfn, "LifecycleFunction", "TableStream");
            List<ObjectNode> passing = await("the break of " + connectionId + " on the table's stream", () -> {
                List<ObjectNode> records = streamRecords(streams, streamArn, from).stream()
                        .map(r -> StreamRecords.lambdaRecord(r, streamArn)).filter(filter::passes).toList();
                return records.stream().anyMatch(r -> isBreakOf(r, connectionId))
                        ? Optional.of(records) : Optional.empty();
            });
            int batchSize = Integer.parseInt(template.resolve(source.path("BatchSize"),
                    "LifecycleFunction.TableStream.BatchSize"));
            List<ObjectNode> batches = new ArrayList<>();
            for (int i = 0; i < passing.size(); i += batchSize) {
                ObjectNode batch = JSON.createObjectNode();
                passing.subList(i, Math.min(i + batchSize, passing.size())).forEach(batch.putArray("Records")::add);
                batches.add(batch);
            }
            for (JsonNode outcome : invoke(template.function("LifecycleFunction"), aws, batches, work)) {
                assertEquals(0, outcome.path("batchItemFailures").size(), "records the function failed: " + outcome);
            }

            // the bus → the queue: the connection's two changes, one event each, nothing else
            List<JsonNode> published = receive(sqs, queue, 2);
            Map<String, JsonNode> byType = new LinkedHashMap<>();
            for (JsonNode e : published) {
                assertEquals(EventDetails.SOURCE, e.path("source").asText(), e.toString());
                assertNull(byType.put(e.path("detail-type").asText(), e.path("detail")), "twice: " + e);
            }
            assertEquals(List.of(EventKind.CONNECTION_ADDED.detailType(), EventKind.CONNECTION_BROKEN.detailType()),
                    byType.keySet().stream().sorted().toList());
            for (JsonNode detail : byType.values()) {
                JsonNode data = detail.path("data");
                assertEquals(userId, data.path("userId").asText(), detail.toString());
                assertEquals(connectionId, data.path("connectionId").asText(), detail.toString());
                assertEquals("webhook", data.path("cause").asText(), detail.toString());
            }
            JsonNode added = byType.get(EventKind.CONNECTION_ADDED.detailType()).path("data");
            assertTrue(added.path("from").isNull(), added.toString());
            assertEquals("ACTIVE", added.path("to").asText());
            JsonNode broken = byType.get(EventKind.CONNECTION_BROKEN.detailType()).path("data");
            assertEquals("ACTIVE", broken.path("from").asText(), broken.toString());
            assertEquals("BROKEN", broken.path("to").asText());
            assertEquals(brokeAt, Instant.parse(broken.path("at").asText()));
            assertEquals(brokeAt, Instant.parse(broken.path("brokenSince").asText()));
            assertTrue(broken.path("needsReconnect").asBoolean(), broken.toString());
            assertNotEquals(byType.get(EventKind.CONNECTION_ADDED.detailType()).path("id"),
                    byType.get(EventKind.CONNECTION_BROKEN.detailType()).path("id"));
        }
    }

    /** An SDK client of LocalStack's, as the container names its endpoint, region and keys. */
    private static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private static JsonNode property(CloudFormationTemplate cfn, String logicalId, String name) {
        return cfn.resource(logicalId).path("Properties").path(name);
    }

    /** A customer managed key with its description from the template (its policy is IAM's, which LocalStack is not). */
    private static KeyMetadata createKey(KmsClient kms, CloudFormationTemplate cfn, LocalTemplate names,
                                         String logicalId) {
        return kms.createKey(r -> r.description(names.resolve(property(cfn, logicalId, "Description"),
                logicalId + ".Description"))).keyMetadata();
    }

    /**
     * The template's table: keys, attributes and indexes ({@link TableDefinitions}), its stream's view type and its
     * encryption with the template's key; waits until the table is active and its stream enabled (records written
     * before would be lost). Returns the stream's ARN.
     */
    private static String createTable(DynamoDbClient dynamo, DynamoDbStreamsClient streams, LocalTemplate template,
                                      String tableId, String table) {
        JsonNode properties = template.template().resource(tableId).path("Properties");
        JsonNode stream = properties.path("StreamSpecification");
        JsonNode sse = properties.path("SSESpecification");
        dynamo.createTable(TableDefinitions.createTableRequest(template.template(), tableId, table).toBuilder()
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(template.resolve(
                        stream.path("StreamViewType"), tableId + ".StreamSpecification.StreamViewType")))
                .sseSpecification(s -> s.enabled(Boolean.parseBoolean(template.resolve(sse.path("SSEEnabled"),
                                tableId + ".SSESpecification.SSEEnabled")))
                        .sseType(template.resolve(sse.path("SSEType"), tableId + ".SSESpecification.SSEType"))
                        .kmsMasterKeyId(template.resolve(sse.path("KMSMasterKeyId"),
                                tableId + ".SSESpecification.KMSMasterKeyId")))
                .build());
        await("the table " + table + " active", () -> Optional.of(dynamo.describeTable(r -> r.tableName(table)))
                .filter(d -> d.table().tableStatus() == TableStatus.ACTIVE));
        String streamArn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        await("the stream of " + table + " enabled", () -> Optional.of(streams.describeStream(
                r -> r.streamArn(streamArn)).streamDescription())
                .filter(d -> d.streamStatus() == StreamStatus.ENABLED));
        return streamArn;
    }

    /**
     * A rule on the bus sending every event of ours to a new queue, with the queue policy that lets the rule do so
     * in AWS; returns the queue's URL.
     */
    private static String everyEventToAQueue(EventBridgeClient events, SqsClient sqs, String bus) {
        String queueUrl = sqs.createQueue(r -> r.queueName("lifecycle-events")).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        ObjectNode pattern = JSON.createObjectNode();
        pattern.putArray("source").add(EventDetails.SOURCE);
        String ruleArn = events.putRule(r -> r.name("every-lifecycle-event").eventBusName(bus)
                .eventPattern(pattern.toString())).ruleArn();
        ObjectNode statement = JSON.createObjectNode().put("Effect", "Allow").put("Action", "sqs:SendMessage")
                .put("Resource", queueArn);
        statement.putObject("Principal").put("Service", "events.amazonaws.com");
        statement.putObject("Condition").putObject("ArnEquals").put("aws:SourceArn", ruleArn);
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        policy.putArray("Statement").add(statement);
        sqs.setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.POLICY,
                policy.toString())));
        PutTargetsResponse targets = events.putTargets(r -> r.rule("every-lifecycle-event").eventBusName(bus)
                .targets(Target.builder().id("queue").arn(queueArn).build()));
        if (targets.failedEntryCount() > 0) {
            throw new IllegalStateException("the queue was not made the rule's target: " + targets.failedEntries());
        }
        return queueUrl;
    }

    /** An events/ fixture, as API Gateway hands it to the function. */
    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(Fixtures.string(name));
    }

    /**
     * {@code events} handed to {@code function} in a JVM of its own ({@link LambdaInvocation}) whose environment is
     * the function's in the template plus {@code aws}; what it answered to each.
     */
    private static List<JsonNode> invoke(LocalTemplate.Function function, Map<String, String> aws,
                                         List<? extends JsonNode> events, Path work)
            throws IOException, InterruptedException {
        Path in = Files.createTempFile(work, function.logicalId(), ".events.json");
        Path out = Files.createTempFile(work, function.logicalId(), ".answers.json");
        JSON.writeValue(in.toFile(), events);
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.putAll(aws);
        env.put("_HANDLER", function.handler());
        env.put(LambdaInvocation.EVENTS, in.toString());
        env.put(LambdaInvocation.ANSWERS, out.toString());
        assertEquals(0, OwnJvm.run(LambdaInvocation.class, env),
                function.logicalId() + " failed in its JVM (its output is in this test's output)");
        List<JsonNode> answers = new ArrayList<>();
        JSON.readTree(out.toFile()).forEach(answers::add);
        assertEquals(events.size(), answers.size(), function.logicalId() + ": an answer per event");
        return answers;
    }

    /** Every record of the stream from {@code from}, shard by shard, up to the newest. */
    private static List<Record> streamRecords(DynamoDbStreamsClient streams, String streamArn,
                                              ShardIteratorType from) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(from)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(current));
                if (page.records().isEmpty()) {
                    break;
                }
                records.addAll(page.records());
                iterator = page.nextShardIterator();
            }
        }
        return records;
    }

    private static boolean isBreakOf(JsonNode record, String connectionId) {
        JsonNode image = record.path("dynamodb").path("NewImage");
        return image.path(Attributes.CONNECTION_ID).path("S").asText().equals(connectionId)
                && image.path(Attributes.STATUS).path("S").asText().equals(ConnectionStatus.BROKEN.name());
    }

    /** The events that reach the queue: {@code expected} of them, then none more for two seconds; their bodies. */
    private static List<JsonNode> receive(SqsClient sqs, String queueUrl, int expected) throws IOException {
        List<JsonNode> bodies = new ArrayList<>();
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (bodies.size() < expected && System.nanoTime() < until) {
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                bodies.add(JSON.readTree(m.body()));
            }
        }
        for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(2)).messages()) {
            bodies.add(JSON.readTree(m.body()));
        }
        assertEquals(expected, bodies.size(), "events on the bus: " + bodies);
        return bodies;
    }

    /** {@code probe}'s first value within {@link #PATIENCE}, asked every quarter second; fails naming {@code what}. */
    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
