package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.accounts.AccountStore.IssuedLink;
import com.connectionkeeper.accounts.AccountStore.LinkUse;
import com.connectionkeeper.accounts.AccountStore.PortalReturn;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API's part of the store on dynalite: users it creates, secrets it drops, links usable once. */
@Integration
class AccountStoreTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final PortalReturn ERROR = new PortalReturn("ERROR", false);
    private DynamoStateStore store;

    @BeforeEach
    void freshTable() {
        store = new DynamoStateStore(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1));
    }

    private void webhook(EventType type, String user, Instant at) {
        new WebhookIngestion(store, Clock.systemUTC()).ingest(new WebhookEvent(type + "-" + at, user, type,
                type.name(), at, null, null, null, "{}"));
    }

    @Test
    void aUserIsCreatedOnceAndAgainOnlyAfterItsDeletion() {
        assertTrue(store.createUser("u", "s1", T, "req-1"));
        assertFalse(store.createUser("u", "s2", T.plusSeconds(1), "req-2"), "exists");
        assertEquals("s1", store.credentials("u").orElseThrow().userSecret());
        assertEquals(UserStatus.ACTIVE, store.account("u").orElseThrow().status());

        webhook(EventType.USER_DELETED, "u", T.plusSeconds(10));
        assertTrue(store.account("u").orElseThrow().deleted());
        assertTrue(store.createUser("u", "s3", T.plusSeconds(20), "req-3"), "a deleted user may come back");
        assertEquals("s3", store.credentials("u").orElseThrow().userSecret());

        webhook(EventType.USER_DELETED, "u", T.plusSeconds(15));
        assertEquals(UserStatus.ACTIVE, store.account("u").orElseThrow().status(),
                "a deletion older than the new registration is stale");
    }

    @Test
    void aUserKnownOnlyFromAttemptsCanBeCreated() {
        webhook(EventType.CONNECTION_ATTEMPTED, "u", T);
        assertTrue(store.account("u").isPresent());
        assertTrue(store.createUser("u", "s", T.plusSeconds(1), "req"));
    }

    @Test
    void forgettingTheSecretRemovesOnlyTheSecret() {
        store.createUser("u", "s", T, "req");
        store.forgetSecret("u");
        assertTrue(store.credentials("u").isEmpty());
        assertFalse(store.account("u").orElseThrow().hasSecret());
        assertEquals(UserStatus.ACTIVE, store.account("u").orElseThrow().status());
        store.forgetSecret("nobody");
        assertTrue(store.account("nobody").isEmpty(), "creates nothing");
    }

    @Test
    void aLinkIsUsedOnceForItsConnectionBeforeItExpires() {
        store.recordLink(new IssuedLink("u", "c", "n1", T, T.plusSeconds(60)));
        assertFalse(store.consumeLink("u", "other", "n1", T.plusSeconds(1), ERROR), "another connection");
        assertFalse(store.consumeLink("v", "c", "n1", T.plusSeconds(1), ERROR), "another user");
        assertFalse(store.consumeLink("u", "c", "n2", T.plusSeconds(1), ERROR), "unknown nonce");
        assertTrue(store.consumeLink("u", "c", "n1", T.plusSeconds(1), ERROR));
        assertFalse(store.consumeLink("u", "c", "n1", T.plusSeconds(2), new PortalReturn("SUCCESS", false)),
                "a replay");
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, null, null), store.link("u", "n1").orElseThrow(),
                "what the portal said at the first use is kept; a refused replay writes nothing");

        store.recordLink(new IssuedLink("u", "c", "n4", T, T.plusSeconds(60)));
        assertTrue(store.consumeLink("u", "c", "n4", T.plusSeconds(1), new PortalReturn("SUCCESS", true)));
        assertEquals(new PortalReturn("SUCCESS", true), store.link("u", "n4").orElseThrow().portal());

        store.recordLink(new IssuedLink("u", "c", "n3", T, T.plusSeconds(60)));
        assertFalse(store.consumeLink("u", "c", "n3", T.plusSeconds(60), ERROR), "expired at its expiry");
    }

    @Test
    void linkMintsAreCountedPerUserInAWindowThatOpensWithTheFirst() {
        java.time.Duration minute = java.time.Duration.ofSeconds(60);
        assertTrue(store.takeLinkSlot("u", T, minute, 2).isEmpty());
        assertTrue(store.takeLinkSlot("u", T.plusSeconds(10), minute, 2).isEmpty());
        assertEquals(java.util.Optional.of(T.plusSeconds(60)), store.takeLinkSlot("u", T.plusSeconds(59), minute, 2));
        assertTrue(store.takeLinkSlot("v", T.plusSeconds(59), minute, 2).isEmpty(), "another user's own count");
        assertTrue(store.takeLinkSlot("u", T.plusSeconds(60), minute, 2).isEmpty(), "a new window");
        assertTrue(store.takeLinkSlot("u", T.plusSeconds(61), minute, 2).isEmpty());
        assertEquals(java.util.Optional.of(T.plusSeconds(120)), store.takeLinkSlot("u", T.plusSeconds(62), minute, 2));
    }

    @Test
    void aUsedLinkKeepsItsOutcomeForAReload() {
        store.recordLink(new IssuedLink("u", "c", "n1", T, T.plusSeconds(60)));
        assertEquals(new LinkUse("c", null, null, null, null), store.link("u", "n1").orElseThrow());
        assertTrue(store.consumeLink("u", "c", "n1", T.plusSeconds(1), ERROR));
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, null, null), store.link("u", "n1").orElseThrow());

        store.recordLinkOutcome("u", "n1", "SUCCESS", null);
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, "SUCCESS", null), store.link("u", "n1").orElseThrow());
        store.recordLinkOutcome("u", "n1", "ERROR", "STILL_BROKEN");
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, "ERROR",
                "STILL_BROKEN"), store.link("u", "n1").orElseThrow());

        store.recordLinkOutcome("u", "n9", "SUCCESS", null);
        assertTrue(store.link("u", "n9").isEmpty(), "an unknown link is not created");
        assertTrue(store.link("v", "n1").isEmpty(), "another user's");
    }

    @Test
    void registrationStoresTheSecretWhenSnapTradesWebhookCameFirst() {
        // registerUser at SnapTrade sends USER_REGISTERED at once: it may be applied before our own write
        webhook(EventType.USER_REGISTERED, "u", T.plusSeconds(1));
        assertTrue(store.createUser("u", "s", T, "req"), "the secret is not lost");
        assertEquals("s", store.credentials("u").orElseThrow().userSecret());
        assertEquals(T.plusSeconds(1), store.user("u").orElseThrow().registeredAt(), "the webhook's registration");
        assertFalse(store.createUser("u", "other", T.plusSeconds(2), "req-2"), "but only once");
        assertEquals("s", store.credentials("u").orElseThrow().userSecret());
    }

    @Test
    void aSecretIsNotSavedForADeletedUser() {
        store.createUser("u", "s", T, "req");
        webhook(EventType.USER_DELETED, "u", T.plusSeconds(1));
        store.forgetSecret("u");
        assertFalse(store.saveUserSecret("u", "late import"), "a deletion racing an import wins");
        assertTrue(store.credentials("u").isEmpty());
        assertTrue(store.usersInSweepOrder().noneMatch(e -> e.userId().equals("u")));
    }
}
