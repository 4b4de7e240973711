package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.secrets.SealContext;
import com.connectionkeeper.core.secrets.SealingException;
import com.connectionkeeper.core.secrets.SecretStore.HeldSecret;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Users' secrets are sealed before they are written, bound to their user and table; plaintext ones an earlier release
 * stored are sealed on first use and by the migration, and never written again.
 */
@Integration
class SealedSecretsTest {
    private static final Instant T = Instant.parse("2026-11-01T12:00:00Z");
    private static final String SECRET = "simsecret-11111111-2222-4333-8444-555555555555";
    private final LocalSealer sealer = new LocalSealer(new byte[32]);
    private String tableName;
    private DynamoTable table;
    private DynamoSecretStore secrets;
    private DynamoSweepQueue queue;

    @BeforeEach
    void freshTable() {
        tableName = Dynalite.createTable();
        DynamoStores stores = DynamoStores.create(Dynalite.client(), tableName, Duration.ofDays(1), sealer);
        table = stores.table();
        secrets = stores.secrets();
        queue = stores.sweepQueue();
    }

    @Test
    void aSavedSecretIsStoredSealedForItsUserAndTableOnly() {
        assertTrue(secrets.createUser("alice", SECRET, T, "req-1"));
        Map<String, AttributeValue> item = userItem("alice");
        assertFalse(item.containsKey(Attributes.PLAINTEXT_SECRET));
        byte[] sealed = item.get(Attributes.SEALED_SECRET).b().asByteArray();
        assertEquals(SECRET, sealer.open(new SealContext(tableName, "alice"), sealed));
        assertNoPlaintext(item);
        HeldSecret held = secrets.heldSecret("alice").orElseThrow();
        assertEquals(SECRET, held.credentials().userSecret());
        assertFalse(held.version().contains("simsecret"));
        assertFalse(held.toString().contains(SECRET));
        assertThrows(SealingException.class, () -> sealer.open(new SealContext("another-table", "alice"), sealed));

        assertTrue(secrets.saveUserSecret("alice", SECRET + "-2"));
        assertNotEquals(held.version(), secrets.heldSecret("alice").orElseThrow().version());
        assertNoPlaintext(userItem("alice"));
    }

    @Test
    void aSealedSecretCopiedOntoAnotherUserDoesNotOpen() {
        secrets.saveUserSecret("alice", SECRET);
        secrets.saveUserSecret("mallory", "simsecret-mallory");
        UpdateBuilder copy = new UpdateBuilder().set(Attributes.SEALED_SECRET,
                userItem("alice").get(Attributes.SEALED_SECRET));
        table.update(copy, DynamoTable.key("mallory", Keys.USER_SK));

        SealingException e = assertThrows(SealingException.class, () -> secrets.credentials("mallory"));
        assertEquals(SealingException.Kind.REFUSED, e.kind());
        assertFalse(e.getMessage().contains("simsecret"), e.getMessage());
        assertEquals(SECRET, secrets.credentials("alice").orElseThrow().userSecret(), "alice's own still opens");
    }

    @Test
    void aPlaintextSecretIsSealedOnFirstUseAndNeverWrittenAgain() {
        storedByAnEarlierRelease("old", SECRET);
        assertTrue(queue.usersInSweepOrder().anyMatch(e -> e.userId().equals("old")), "in the sweep as before");

        HeldSecret held = secrets.heldSecret("old").orElseThrow();

        assertEquals(SECRET, held.credentials().userSecret());
        Map<String, AttributeValue> item = userItem("old");
        assertFalse(item.containsKey(Attributes.PLAINTEXT_SECRET), "sealed in place");
        assertNoPlaintext(item);
        assertEquals(held.version(), secrets.heldSecret("old").orElseThrow().version(), "nothing resealed");
        assertEquals(SECRET, secrets.credentials("old").orElseThrow().userSecret());
        assertTrue(queue.usersInSweepOrder().anyMatch(e -> e.userId().equals("old")), "still in the sweep");
    }

    @Test
    void aFlagNamesTheVersionSnapTradeJudged() {
        storedByAnEarlierRelease("p", SECRET);
        HeldSecret judged = secrets.heldSecret("p").orElseThrow();
        secrets.saveUserSecret("p", SECRET + "-new"); // a new secret meanwhile
        secrets.flagUser("p", "CREDENTIALS_REJECTED", T, judged.version());
        assertTrue(secrets.credentials("p").isPresent(), "the new secret is not flagged for the old one's rejection");

        HeldSecret current = secrets.heldSecret("p").orElseThrow();
        secrets.flagUser("p", "CREDENTIALS_REJECTED", T, current.version());
        assertTrue(secrets.credentials("p").isEmpty(), "flagged");
        assertFalse(secrets.clearFlag("p", judged.version()), "not cleared by the old version");
        assertTrue(secrets.clearFlag("p", current.version()));
        assertTrue(secrets.credentials("p").isPresent());
    }

    @Test
    void theMigrationSealsEveryPlaintextSecretAndDropsDeletedUsersOnes() {
        storedByAnEarlierRelease("active", SECRET + "-a");
        storedByAnEarlierRelease("flagged", SECRET + "-f");
        table.update(new UpdateBuilder().set(Attributes.PROBLEM, "CREDENTIALS_REJECTED"),
                DynamoTable.key("flagged", Keys.USER_SK));
        storedByAnEarlierRelease("gone", SECRET + "-g");
        new WebhookIngestion(DynamoStores.create(Dynalite.client(), tableName, Duration.ofDays(1), sealer)
                .connections(), Clock.systemUTC()).ingest(new WebhookEvent("w-gone", "gone", EventType.USER_DELETED,
                "USER_DELETED", T.plusSeconds(5), null, null, null, "{}"));
        secrets.saveUserSecret("new", SECRET + "-n");

        assertEquals(DynamoSecretStore.Migration.SEALED, secrets.sealPlaintext("active"));
        assertEquals(DynamoSecretStore.Migration.SEALED, secrets.sealPlaintext("flagged"));
        assertEquals(DynamoSecretStore.Migration.DROPPED, secrets.sealPlaintext("gone"));
        assertEquals(DynamoSecretStore.Migration.NOTHING, secrets.sealPlaintext("new"));
        assertEquals(DynamoSecretStore.Migration.NOTHING, secrets.sealPlaintext("active"), "once");
        assertEquals(DynamoSecretStore.Migration.NOTHING, secrets.sealPlaintext("nobody"));

        for (String u : new String[] {"active", "flagged", "gone", "new"}) {
            assertNoPlaintext(userItem(u));
        }
        assertNull(userItem("gone").get(Attributes.SEALED_SECRET), "a deleted user's secret is not kept");
        assertEquals(SECRET + "-a", secrets.credentials("active").orElseThrow().userSecret());
        assertEquals(SECRET + "-f", secrets.heldSecret("flagged").orElseThrow().credentials().userSecret());
        assertEquals("CREDENTIALS_REJECTED", secrets.heldSecret("flagged").orElseThrow().problem(), "still flagged");
    }

    @Test
    void anItemHoldingBothFormsUsesAndSealsTheNewerPlaintext() {
        // an earlier release still running during the update (or after a rollback) stored a new plaintext secret on
        // an item this release had sealed one on: the plaintext is the newer, and nothing else writes it
        secrets.saveUserSecret("u", SECRET + "-sealed-by-this-release");
        storedByAnEarlierRelease("u", SECRET + "-reset-by-the-earlier-release");
        assertEquals(SECRET + "-reset-by-the-earlier-release", secrets.credentials("u").orElseThrow().userSecret());
        assertNoPlaintext(userItem("u"));

        secrets.saveUserSecret("v", SECRET + "-sealed-by-this-release");
        storedByAnEarlierRelease("v", SECRET + "-reset-by-the-earlier-release");
        assertEquals(DynamoSecretStore.Migration.SEALED, secrets.sealPlaintext("v"));
        assertNoPlaintext(userItem("v"));
        assertEquals(SECRET + "-reset-by-the-earlier-release", secrets.credentials("v").orElseThrow().userSecret());
    }

    @Test
    void forgettingDropsEitherForm() {
        storedByAnEarlierRelease("a", SECRET);
        secrets.saveUserSecret("b", SECRET);
        secrets.forgetSecret("a");
        secrets.forgetSecret("b");
        assertFalse(Items.holdsSecret(userItem("a")));
        assertFalse(Items.holdsSecret(userItem("b")));
    }

    private void storedByAnEarlierRelease(String userId, String plaintext) {
        EarlierRelease.storeInPlaintext(table, userId, plaintext);
    }

    private Map<String, AttributeValue> userItem(String userId) {
        return table.get(userId, Keys.USER_SK);
    }

    private static void assertNoPlaintext(Map<String, AttributeValue> item) {
        item.forEach((name, value) -> assertFalse(String.valueOf(value.s()).contains("simsecret"),
                name + " holds a plaintext secret"));
    }
}
