package com.connectionkeeper.api.store;

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
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API's part of the store on dynalite: users it creates, secrets it drops, links usable once. */
@Integration
class DynamoAccountStoreTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final PortalReturn ERROR = new PortalReturn("ERROR", false);
    private DynamoStores stores;
    private DynamoAccountStore accounts;

    @BeforeEach
    void freshTable() {
        stores = DynamoStores.create(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1),
                LocalSealer.ephemeral());
        accounts = new DynamoAccountStore(stores.table());
    }

    private void webhook(EventType type, String user, Instant at) {
        new WebhookIngestion(stores.connections(), Clock.systemUTC()).ingest(new WebhookEvent(type + "-" + at, user,
                type, type.name(), at, null, null, null, "{}"));
    }

    @Test
    void aUserIsCreatedOnceAndAgainOnlyAfterItsDeletion() {
        assertTrue(stores.secrets().createUser("u", "s1", T, "req-1"));
        assertFalse(stores.secrets().createUser("u", "s2", T.plusSeconds(1), "req-2"), "exists");
        assertEquals("s1", stores.secrets().credentials("u").orElseThrow().userSecret());
        assertEquals(UserStatus.ACTIVE, accounts.account("u").orElseThrow().status());

        webhook(EventType.USER_DELETED, "u", T.plusSeconds(10));
        assertTrue(accounts.account("u").orElseThrow().deleted());
        assertTrue(stores.secrets().createUser("u", "s3", T.plusSeconds(20), "req-3"), "a deleted user may come back");
        assertEquals("s3", stores.secrets().credentials("u").orElseThrow().userSecret());

        webhook(EventType.USER_DELETED, "u", T.plusSeconds(15));
        assertEquals(UserStatus.ACTIVE, accounts.account("u").orElseThrow().status(),
                "a deletion older than the new registration is stale");
    }

    @Test
    void aUserKnownOnlyFromAttemptsCanBeCreated() {
        webhook(EventType.CONNECTION_ATTEMPTED, "u", T);
        assertTrue(accounts.account("u").isPresent());
        assertTrue(stores.secrets().createUser("u", "s", T.plusSeconds(1), "req"));
    }

    @Test
    void forgettingTheSecretRemovesOnlyTheSecret() {
        stores.secrets().createUser("u", "s", T, "req");
        stores.secrets().forgetSecret("u");
        assertTrue(stores.secrets().credentials("u").isEmpty());
        assertFalse(accounts.account("u").orElseThrow().hasSecret());
        assertEquals(UserStatus.ACTIVE, accounts.account("u").orElseThrow().status());
        stores.secrets().forgetSecret("nobody");
        assertTrue(accounts.account("nobody").isEmpty(), "creates nothing");
    }

    @Test
    void aLinkIsUsedOnceForItsConnectionBeforeItExpires() {
        accounts.recordLink(new IssuedLink("u", "c", "n1", T, T.plusSeconds(60)));
        assertFalse(accounts.consumeLink("u", "other", "n1", T.plusSeconds(1), ERROR), "another connection");
        assertFalse(accounts.consumeLink("v", "c", "n1", T.plusSeconds(1), ERROR), "another user");
        assertFalse(accounts.consumeLink("u", "c", "n2", T.plusSeconds(1), ERROR), "unknown nonce");
        assertTrue(accounts.consumeLink("u", "c", "n1", T.plusSeconds(1), ERROR));
        assertFalse(accounts.consumeLink("u", "c", "n1", T.plusSeconds(2), new PortalReturn("SUCCESS", false)),
                "a replay");
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, null, null), accounts.link("u", "n1").orElseThrow(),
                "what the portal said at the first use is kept; a refused replay writes nothing");

        accounts.recordLink(new IssuedLink("u", "c", "n4", T, T.plusSeconds(60)));
        assertTrue(accounts.consumeLink("u", "c", "n4", T.plusSeconds(1), new PortalReturn("SUCCESS", true)));
        assertEquals(new PortalReturn("SUCCESS", true), accounts.link("u", "n4").orElseThrow().portal());

        accounts.recordLink(new IssuedLink("u", "c", "n3", T, T.plusSeconds(60)));
        assertFalse(accounts.consumeLink("u", "c", "n3", T.plusSeconds(60), ERROR), "expired at its expiry");
    }

    @Test
    void linkMintsAreCountedPerUserInAWindowThatOpensWithTheFirst() {
        java.time.Duration minute = java.time.Duration.ofSeconds(60);
        assertTrue(accounts.takeLinkSlot("u", T, minute, 2).isEmpty());
        assertTrue(accounts.takeLinkSlot("u", T.plusSeconds(10), minute, 2).isEmpty());
        assertEquals(java.util.Optional.of(T.plusSeconds(60)),
                accounts.takeLinkSlot("u", T.plusSeconds(59), minute, 2));
        assertTrue(accounts.takeLinkSlot("v", T.plusSeconds(59), minute, 2).isEmpty(), "another user's own count");
        assertTrue(accounts.takeLinkSlot("u", T.plusSeconds(60), minute, 2).isEmpty(), "a new window");
        assertTrue(accounts.takeLinkSlot("u", T.plusSeconds(61), minute, 2).isEmpty());
        assertEquals(java.util.Optional.of(T.plusSeconds(120)),
                accounts.takeLinkSlot("u", T.plusSeconds(62), minute, 2));
    }

    @Test
    void aUsedLinkKeepsItsOutcomeForAReload() {
        accounts.recordLink(new IssuedLink("u", "c", "n1", T, T.plusSeconds(60)));
        assertEquals(new LinkUse("c", null, null, null, null), accounts.link("u", "n1").orElseThrow());
        assertTrue(accounts.consumeLink("u", "c", "n1", T.plusSeconds(1), ERROR));
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, null, null), accounts.link("u", "n1").orElseThrow());

        accounts.recordLinkOutcome("u", "n1", "SUCCESS", null);
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, "SUCCESS", null),
                accounts.link("u", "n1").orElseThrow());
        accounts.recordLinkOutcome("u", "n1", "ERROR", "STILL_BROKEN");
        assertEquals(new LinkUse("c", T.plusSeconds(1), ERROR, "ERROR",
                "STILL_BROKEN"), accounts.link("u", "n1").orElseThrow());

        accounts.recordLinkOutcome("u", "n9", "SUCCESS", null);
        assertTrue(accounts.link("u", "n9").isEmpty(), "an unknown link is not created");
        assertTrue(accounts.link("v", "n1").isEmpty(), "another user's");
    }

    @Test
    void registrationStoresTheSecretWhenSnapTradesWebhookCameFirst() {
        // registerUser at SnapTrade sends USER_REGISTERED at once: it may be applied before our own write
        webhook(EventType.USER_REGISTERED, "u", T.plusSeconds(1));
        assertTrue(stores.secrets().createUser("u", "s", T, "req"), "the secret is not lost");
        assertEquals("s", stores.secrets().credentials("u").orElseThrow().userSecret());
        assertEquals(T.plusSeconds(1), stores.connections().user("u").orElseThrow().registeredAt(),
                "the webhook's registration");
        assertFalse(stores.secrets().createUser("u", "other", T.plusSeconds(2), "req-2"), "but only once");
        assertEquals("s", stores.secrets().credentials("u").orElseThrow().userSecret());
    }

    @Test
    void aSecretIsNotSavedForADeletedUser() {
        stores.secrets().createUser("u", "s", T, "req");
        webhook(EventType.USER_DELETED, "u", T.plusSeconds(1));
        stores.secrets().forgetSecret("u");
        assertFalse(stores.secrets().saveUserSecret("u", "late import"), "a deletion racing an import wins");
        assertTrue(stores.secrets().credentials("u").isEmpty());
        assertTrue(stores.sweepQueue().usersInSweepOrder().noneMatch(e -> e.userId().equals("u")));
    }
}
