package com.connectionkeeper.core.ingest;

import com.connectionkeeper.core.model.ConnectionChange;
import com.connectionkeeper.core.model.ConnectionRules;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import java.time.Clock;
import java.util.Optional;

/**
 * Turns one verified webhook into state: apply it by the rules, then record the delivery. State is written before
 * history so that a crash in between leaves the delivery unrecorded, and SnapTrade's retry of the same webhook
 * replays the (idempotent) state write and then records it — the retry is never mistaken for a duplicate.
 */
public final class WebhookIngestion {
    private final ConnectionStore store;
    private final Clock clock;

    public WebhookIngestion(ConnectionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public IngestResult ingest(WebhookEvent event) {
        IngestResult outcome = switch (event.type().effect()) {
            case CONNECTION_STATUS -> event.connectionId() == null ? IngestResult.IGNORED : applyToConnection(event);
            case USER_REGISTRATION, USER_ATTEMPT -> store.applyToUser(event) ? IngestResult.APPLIED : IngestResult.STALE;
            case USER_DELETION -> UserDeletion.apply(store, event.userId(), event.watermark(), event.eventTime(),
                    Source.WEBHOOK).result();
            case RECORD_ONLY -> IngestResult.IGNORED;
        };
        boolean first = store.recordHistory(HistoryEntry.of(event, clock.instant(), outcome));
        return first ? outcome : IngestResult.DUPLICATE;
    }

    private IngestResult applyToConnection(WebhookEvent event) {
        ConnectionChange change = ConnectionRules.changeFor(event).orElseThrow();
        ConnectionStore.ConnectionWrite write = store.applyToConnection(event.userId(), event.connectionId(), change);
        if (!write.applied()) {
            return IngestResult.STALE;
        }
        if (write.firstOrReplay()) {
            // First sight of this connection (or a replay of it, which may be finishing a crashed first sight):
            // a user deletion newer than the event outranks it.
            Optional<UserState> user = store.user(event.userId());
            Watermark deletion = user.map(UserState::deletionWatermark).orElse(null);
            if (deletion != null && deletion.isAfter(change.watermark())) {
                store.applyToConnection(event.userId(), event.connectionId(),
                        ConnectionRules.userDeletion(deletion, user.get().deletedAt(), Source.WEBHOOK));
                return IngestResult.STALE;
            }
        }
        return IngestResult.APPLIED;
    }
}
