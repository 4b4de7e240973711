package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.TableDefinitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The same store on LocalStack's DynamoDB, where Docker exists (skipped otherwise: these build machines have none).
 * A second engine guards against relying on a dynalite quirk.
 */
@Testcontainers(disabledWithoutDocker = true)
@Integration
class LocalStackStoreTest {
    @Container
    static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
            .withServices(LocalStackContainer.Service.DYNAMODB);

    @Test
    void aBreakThenAnOlderFixIsStaleAndTheConnectionStaysBroken() {
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
        CloudFormationTemplate template = CloudFormationTemplate.load();
        client.createTable(TableDefinitions.createTableRequest(template, TableDefinitions.onlyTable(template), "ck"));
        DynamoStores stores = DynamoStores.create(client, "ck", Duration.ofDays(1), LocalSealer.ephemeral());
        WebhookIngestion ingestion = new WebhookIngestion(stores.connections(), Clock.systemUTC());
        Instant t = Instant.parse("2024-01-01T00:00:00Z");

        WebhookEvent broken = new WebhookEvent("w2", "u", EventType.CONNECTION_BROKEN, "CONNECTION_BROKEN",
                t.plusSeconds(10), "c", null, null, "{}");
        WebhookEvent olderFix = new WebhookEvent("w1", "u", EventType.CONNECTION_FIXED, "CONNECTION_FIXED", t, "c",
                null, null, "{}");
        assertEquals(IngestResult.APPLIED, ingestion.ingest(broken));
        assertEquals(IngestResult.STALE, ingestion.ingest(olderFix));
        assertEquals(IngestResult.DUPLICATE, ingestion.ingest(broken));
        assertEquals(ConnectionStatus.BROKEN, stores.connections().connection("u", "c").orElseThrow().status());
        assertEquals(1, new StoreProbe(stores).brokenConnections().size());
    }
}
