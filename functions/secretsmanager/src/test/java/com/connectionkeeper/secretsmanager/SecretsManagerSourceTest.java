package com.connectionkeeper.secretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.testkit.LoopbackSecretsManager;
import com.connectionkeeper.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The credentials secret's wiring against a loopback Secrets Manager that speaks GetSecretValue. */
class SecretsManagerSourceTest {
    private static final String KEY = "ck-consumer-key-AAAA1111";
    private static final String ROTATED = "ck-consumer-key-BBBB2222";
    private LoopbackSecretsManager manager;
    private SecretsManagerCall client;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void start() throws Exception {
        manager = new LoopbackSecretsManager();
        manager.verifySignatures("AKIDLOCAL", "local-secret-access-key"); // as AWS checks them
        client = new SecretsManagerCall(UrlConnectionHttpClient.create(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-secret-access-key")),
                Region.US_EAST_1, manager.endpoint());
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    private String credentials(String consumerKey) {
        return "{\"SNAPTRADE_CLIENT_ID\":\"CK-CLIENT\",\"SNAPTRADE_CONSUMER_KEY\":\"" + consumerKey
                + "\",\"RECONNECT_STATE_KEY\":\"state-key-0123456789abcdef0123456789\"}";
    }

    private Config config(String secretId, Map<String, String> env) {
        return CredentialsConfig.over(env, new SecretsManagerSource(client, secretId), clock);
    }

    @Test
    void oneReadPerContainerForManyInvocations() {
        String arn = manager.put("ck/credentials", credentials(KEY));
        Config config = config(arn, Map.of("TABLE_NAME", "t"));
        for (int i = 0; i < 500; i++) {
            assertEquals(KEY, config.snapTradeConsumerKey());
            assertEquals(Optional.of("CK-CLIENT"), config.secret("SNAPTRADE_CLIENT_ID"));
            clock.advance(Duration.ofMillis(500));
        }
        assertEquals(1, manager.requests().size(), "read once, at init");
        assertEquals(arn, manager.requests().get(0));
    }

    @Test
    void readAgainAfterTheTtl() {
        String arn = manager.put("ck/credentials", credentials(KEY));
        Config config = config(arn, Map.of(CredentialsConfig.CREDENTIALS_TTL_SECONDS, "60"));
        manager.put("ck/credentials", credentials(ROTATED));
        clock.advance(Duration.ofSeconds(59));
        assertEquals(KEY, config.snapTradeConsumerKey());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(ROTATED, config.snapTradeConsumerKey(), "the rotation arrives within the TTL");
        assertEquals(2, manager.requests().size());
    }

    @Test
    void readAgainAtOnceWhenASignatureIsRejected() {
        String arn = manager.put("ck/credentials", credentials(KEY));
        Config config = config(arn, Map.of());
        manager.put("ck/credentials", credentials(ROTATED));
        clock.advance(CredentialsConfig.MIN_REFRESH_INTERVAL);
        assertTrue(config.refreshSecrets(), "the key changed");
        assertEquals(ROTATED, config.snapTradeConsumerKey());
        assertFalse(config.refreshSecrets(), "not again within the interval");
        assertEquals(2, manager.requests().size());
    }

    @Test
    void aMissingSecretFailsInitNamingItAndNothingElse() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config("ck/nope", Map.of()));
        assertTrue(e.getMessage().startsWith("secret ck/nope (CREDENTIALS_SECRET_ID) could not be read: it does not "
                + "exist (or has no current version) (ResourceNotFoundException, request "), e.getMessage());
    }

    @Test
    void anUnreadableSecretIsNamedWithItsReason() {
        String arn = manager.put("ck/credentials", credentials(KEY));
        manager.failNext(10, 400, "AccessDeniedException");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config(arn, Map.of()));
        assertTrue(e.getMessage().contains("this function may not read it"), e.getMessage());
    }

    @Test
    void malformedSecretsAreRefusedWithoutEchoingThem() {
        String[][] cases = {
            {"{\"SNAPTRADE_CONSUMER_KEY\": \"" + KEY + "\"", "is not valid JSON"},
            {"[\"" + KEY + "\"]", "is not a JSON object"},
            {"\"" + KEY + "\"", "is not a JSON object"},
            {"{\"SNAPTRADE_CONSUMER_KEY\": 42, \"X\": \"" + KEY + "\"}",
                "has a value that is not a string (SNAPTRADE_CONSUMER_KEY)"},
            {KEY, "is not valid JSON"},
        };
        for (String[] c : cases) {
            String arn = manager.put("ck/malformed", c[0]);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> config(arn, Map.of()), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains(KEY), "the secret is echoed: " + e.getMessage());
            assertTrue(e.getCause() == null, "no cause carries the text");
        }
        String binary = manager.putBinary("ck/binary");
        assertTrue(assertThrows(IllegalStateException.class, () -> config(binary, Map.of())).getMessage()
                .contains("holds no SecretString"));
    }

    @Test
    void aSecretWithoutTheConsumerKeyFailsWhereItIsNeeded() {
        String arn = manager.put("ck/partial", "{\"SNAPTRADE_CLIENT_ID\":\"CK-CLIENT\"}");
        Config config = config(arn, Map.of(Config.SNAPTRADE_CONSUMER_KEY, "from-the-environment"));
        assertEquals("SNAPTRADE_CONSUMER_KEY is not set",
                assertThrows(IllegalStateException.class, config::snapTradeConsumerKey).getMessage(),
                "never the environment's when a secret is configured");
    }

    @Test
    void theRequestIsSignedAsAwsChecksItAndAWrongKeyIsRefused() {
        String arn = manager.put("ck/credentials", credentials(KEY));
        assertEquals(KEY, config(arn, Map.of()).snapTradeConsumerKey(), "the stand-in verified our SigV4 signature");
        SecretsManagerCall wrong = new SecretsManagerCall(UrlConnectionHttpClient.create(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "not-the-secret-key")),
                Region.US_EAST_1, manager.endpoint());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CredentialsConfig.over(Map.of(), new SecretsManagerSource(wrong, arn), clock));
        assertTrue(e.getMessage().contains("InvalidSignatureException"), e.getMessage());
    }

    @Test
    void noCredentialsIsAClearErrorNamingTheSecret() {
        String arn = manager.put("ck/credentials", credentials(KEY));
        SecretsManagerCall unsigned = new SecretsManagerCall(UrlConnectionHttpClient.create(), () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        }, Region.US_EAST_1, manager.endpoint());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CredentialsConfig.over(Map.of(), new SecretsManagerSource(unsigned, arn), clock));
        assertEquals("secret " + arn + " (CREDENTIALS_SECRET_ID) could not be read: SdkClientException (credentials "
                + "or network)", e.getMessage());
        assertEquals(0, manager.requests().size(), "nothing was sent unsigned");
    }

    @Test
    void theSdksOwnClientPassesTheSameSignatureCheck() {
        // the check itself is right: the SDK's generated Secrets Manager client, signing as it always does, passes it
        String arn = manager.put("ck/credentials", credentials(KEY));
        try (SecretsManagerClient sdk = SecretsManagerClient.builder().endpointOverride(manager.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDLOCAL", "local-secret-access-key"))).build()) {
            assertTrue(sdk.getSecretValue(b -> b.secretId(arn)).secretString().contains(KEY));
        }
    }

    @Test
    void throttlingAndServerErrorsAreTriedThreeTimes() {
        String arn = manager.put("ck/credentials", credentials(KEY));
        manager.failNext(2, 400, "ThrottlingException");
        assertEquals(KEY, config(arn, Map.of()).snapTradeConsumerKey());
        manager.failNext(3, 500, "InternalServiceError");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config(arn, Map.of()));
        assertTrue(e.getMessage().contains("InternalServiceError"), e.getMessage());
        assertEquals(6, manager.requests().size(), "1 + 2 throttled, then 3 failed");
    }

    @Test
    void theEndpointIsTheSdks() {
        Map<String, String> both = Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:2");
        assertEquals("http://127.0.0.1:1", SecretsManagerCall.endpoint(n -> Optional.ofNullable(both.get(n)),
                Region.US_EAST_1).toString());
        assertEquals("http://127.0.0.1:2", SecretsManagerCall.endpoint(
                n -> Optional.ofNullable(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:2").get(n)),
                Region.US_EAST_1).toString());
        assertEquals("https://secretsmanager.eu-west-1.amazonaws.com", SecretsManagerCall.endpoint(
                n -> Optional.empty(), Region.EU_WEST_1).toString());
        assertEquals("https://secretsmanager.cn-north-1.amazonaws.com.cn", SecretsManagerCall.endpoint(
                n -> Optional.empty(), Region.CN_NORTH_1).toString());
    }

    @Test
    void withoutASecretIdTheEnvironmentIsTheSource() {
        Config config = CredentialsConfig.from(Map.of(Config.SNAPTRADE_CONSUMER_KEY, KEY));
        assertTrue(config instanceof EnvironmentConfig);
        assertEquals(KEY, config.snapTradeConsumerKey());
        assertEquals(0, manager.requests().size());
    }
}
