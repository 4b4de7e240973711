package com.connectionkeeper.core.lifecycle;

import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lifecycle events a write makes: one per change of a connection's status, one per user deletion, one per
 * reminder step recorded, one per incident suspected or ended, none for anything else (replays, history, links,
 * verification flags, sweep bookkeeping).
 * Pure: the same write read twice gives the same event, id included.
 */
public final class Lifecycle {
    private Lifecycle() {
    }

    /**
     * The event of a write to a connection item, if it changed the connection's status. {@code before} is null for
     * a connection first seen, {@code after} null when the item was removed (a removed item that was not DELETED
     * counts as deleted, cause unknown). A connection first seen BROKEN is announced as {@code Connection Broken}
     * (from null): what the app must do about it is the same as for a break.
     *
     * @param time when the write was recorded (the stream record's time): the envelope's time
     */
    public static Optional<ConnectionEvent> connection(ConnectionState before, ConnectionState after, Instant time) {
        ConnectionStatus from = before == null ? null : before.status();
        if (after == null && (before == null || from == ConnectionStatus.DELETED)) {
            return Optional.empty();
        }
        ConnectionStatus to = after == null ? ConnectionStatus.DELETED : after.status();
        if (from == to) {
            return Optional.empty();
        }
        EventKind kind = switch (to) {
            case DELETED -> EventKind.CONNECTION_DELETED;
            case BROKEN -> EventKind.CONNECTION_BROKEN;
            case ACTIVE -> from == ConnectionStatus.BROKEN ? EventKind.CONNECTION_FIXED : EventKind.CONNECTION_ADDED;
        };
        ConnectionState known = after == null ? before : after;
        Watermark change = known.watermark();
        Instant at = after == null || change == null || change.time() == null ? time : change.time();
        String changeKey = after == null ? "removed:" + text(change) : text(change);
        Instant brokenSince = to == ConnectionStatus.BROKEN ? known.brokenSince()
                : from == ConnectionStatus.BROKEN ? before.brokenSince() : null;
        return Optional.of(new ConnectionEvent(
                id("connection", known.userId(), known.connectionId(), to.name(), changeKey),
                kind, time, known.userId(), known.connectionId(), brokerage(before, after), type(before, after),
                from, to, at, after == null ? null : after.source(), brokenSince, to == ConnectionStatus.BROKEN));
    }

    /**
     * The reminder a write to a broken connection's item records, if it recorded a new step of the current break
     * (the reminder run's claim); none for any other write, and none for a step of an earlier break.
     */
    public static Optional<ReminderEvent> reminder(ConnectionState before, ReminderMark beforeMark,
                                                   ConnectionState after, ReminderMark afterMark, Instant time) {
        if (after == null || after.status() != ConnectionStatus.BROKEN || after.brokenSince() == null
                || afterMark == null || afterMark.step() < 1 || !after.brokenSince().equals(afterMark.forBreak())) {
            return Optional.empty();
        }
        boolean sameBreak = beforeMark != null && beforeMark.step() > 0
                && afterMark.forBreak().equals(beforeMark.forBreak());
        if (sameBreak && beforeMark.step() >= afterMark.step()) {
            return Optional.empty();
        }
        Instant previous = sameBreak && beforeMark.at() != null ? beforeMark.at() : after.brokenSince();
        Instant at = afterMark.at() == null ? time : afterMark.at();
        boolean linkSince = afterMark.lastLinkIssuedAt() != null && afterMark.lastLinkIssuedAt().isAfter(previous);
        return Optional.of(new ReminderEvent(
                id("reminder", after.userId(), after.connectionId(), after.brokenSince().toString(),
                        Integer.toString(afterMark.step())),
                EventKind.CONNECTION_RECONNECT_REMINDER, time, after.userId(), after.connectionId(),
                brokerage(before, after), type(before, after), afterMark.step(), after.brokenSince(),
                Duration.between(after.brokenSince(), at).toDays(), linkSince, at));
    }

    /**
     * The event of a write to a user item, if it deleted the user. {@code cause} is who deleted it, when the item
     * records it.
     */
    public static Optional<UserEvent> user(UserState before, UserState after, Source cause, Instant time) {
        if (after == null || after.status() != UserStatus.DELETED
                || (before != null && before.status() == UserStatus.DELETED)) {
            return Optional.empty();
        }
        Instant at = after.deletedAt() == null ? time : after.deletedAt();
        return Optional.of(new UserEvent(id("user", after.userId(), UserStatus.DELETED.name(),
                text(after.deletionWatermark() == null ? after.watermark() : after.deletionWatermark())),
                EventKind.USER_DELETED, time, after.userId(), at, cause));
    }

    /**
     * The event of a write to a brokerage's incident item: {@code Brokerage Incident Suspected} when an incident
     * opened (none before, or the previous one ended), {@code Brokerage Incident Ended} when the open one ended;
     * nothing for any other write.
     */
    public static Optional<IncidentEvent> incident(Incident before, Incident after, Instant time) {
        if (after == null) {
            return Optional.empty();
        }
        boolean sameIncident = before != null && before.since().equals(after.since());
        if (after.open() && !(sameIncident && before.open())) {
            return Optional.of(new IncidentEvent(id("incident", after.brokerageId(), after.since().toString(),
                    Incident.Status.OPEN.name()), EventKind.BROKERAGE_INCIDENT_SUSPECTED, time, after));
        }
        if (!after.open() && sameIncident && before.open()) {
            return Optional.of(new IncidentEvent(id("incident", after.brokerageId(), after.since().toString(),
                    Incident.Status.ENDED.name()), EventKind.BROKERAGE_INCIDENT_ENDED, time, after));
        }
        return Optional.empty();
    }

    private static ConnectionEvent.Brokerage brokerage(ConnectionState before, ConnectionState after) {
        String id = first(after == null ? null : after.brokerageId(), before == null ? null : before.brokerageId());
        String slug = null;
        String name = null;
        for (ConnectionState s : new ConnectionState[] {after, before}) {
            if (s != null && s.observed() != null) {
                slug = first(slug, s.observed().brokerageSlug());
                name = first(name, s.observed().brokerageName());
            }
        }
        return id == null && slug == null && name == null ? ConnectionEvent.Brokerage.UNKNOWN
                : new ConnectionEvent.Brokerage(id, slug, name);
    }

    private static ConnectionType type(ConnectionState before, ConnectionState after) {
        for (ConnectionState s : new ConnectionState[] {after, before}) {
            if (s != null && s.observed() != null && s.observed().type() != null) {
                return s.observed().type();
            }
        }
        return null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static String text(Watermark w) {
        return w == null ? "" : w.encoded();
    }

    /**
     * A name-based UUID (RFC 9562 version 8) from SHA-256 over the parts, each length-prefixed so no two lists of
     * parts share a digest input.
     */
    public static String id(String... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update((byte) (bytes.length >>> 24));
            sha.update((byte) (bytes.length >>> 16));
            sha.update((byte) (bytes.length >>> 8));
            sha.update((byte) bytes.length);
            sha.update(bytes);
        }
        byte[] d = sha.digest();
        d[6] = (byte) ((d[6] & 0x0F) | 0x80); // version 8
        d[8] = (byte) ((d[8] & 0x3F) | 0x80); // variant 10
        StringBuilder out = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out.append('-');
            }
            out.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
        }
        return out.toString();
    }
}
