package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.BROKEN_SINCE;
import static com.connectionkeeper.store.Attributes.BROKERAGE_ID;
import static com.connectionkeeper.store.Attributes.BROKERAGE_NAME;
import static com.connectionkeeper.store.Attributes.BROKERAGE_SLUG;
import static com.connectionkeeper.store.Attributes.CONNECTION_ID;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.EXPIRES_AT;
import static com.connectionkeeper.store.Attributes.RESOLVED_AT;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.USER_ID;

import com.connectionkeeper.core.incidents.IncidentStore;
import com.connectionkeeper.core.lifecycle.Incident;
import com.connectionkeeper.core.model.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The DynamoDB adapter of {@link IncidentStore}. Per brokerage, one partition {@code BROKERAGE#<id>}:
 * <pre>
 *   sk = BREAK#<brokenSince>#<userId>#<connectionId>   one break (resolvedAt once fixed or deleted; expires by TTL)
 *   sk = MEMBER#<userId>#<connectionId>                 one connection known there
 *   sk = KNOWN                                          the last count of the members
 * </pre>
 * and every brokerage's incident in the partition {@code INCIDENTS} (sk = the brokerage id). Windows and tallies are
 * ranges of break records, so counting stays exact under retries: writing a record again changes nothing.
 */
public final class DynamoIncidentStore implements IncidentStore {
    private static final AttributeValue OPEN = AttributeValue.fromS(Incident.Status.OPEN.name());
    private final DynamoTable table;
    private final Duration breakRetention;

    /** Break records expire {@code breakRetention} after the break (DynamoDB's TTL): longer than any incident. */
    public DynamoIncidentStore(DynamoTable table, Duration breakRetention) {
        this.table = table;
        this.breakRetention = breakRetention;
    }

    @Override
    public void recordBreaks(String brokerageId, List<Break> breaks) {
        String pk = Keys.brokeragePartition(brokerageId);
        for (Break b : breaks) {
            // recorded (again): broken now. Stream order per connection means a fix of this break, if any, is
            // recorded after this (a retried batch delivers the break, then the fix, again)
            UpdateBuilder u = new UpdateBuilder()
                    .remove(RESOLVED_AT)
                    .set(ENTITY, Attributes.BREAK_ENTITY)
                    .set(BROKERAGE_ID, brokerageId)
                    .set(USER_ID, b.userId())
                    .set(CONNECTION_ID, b.connectionId())
                    .set(BROKEN_SINCE, Watermark.timeKey(b.brokenSince()))
                    .set(EXPIRES_AT, AttributeValue.fromN(
                            Long.toString(b.brokenSince().plus(breakRetention).getEpochSecond())));
            table.write(u, DynamoTable.itemKey(pk, Keys.breakRecord(b.brokenSince(), b.userId(), b.connectionId())),
                    ReturnValue.NONE);
        }
    }

    @Override
    public void recordResolved(String brokerageId, List<Break> resolved, Instant at) {
        String pk = Keys.brokeragePartition(brokerageId);
        for (Break b : resolved) {
            UpdateBuilder u = new UpdateBuilder()
                    .setIfAbsent(RESOLVED_AT, UpdateBuilder.s(Watermark.timeKey(at)));
            u.when("attribute_exists(" + u.name(Keys.PK) + ")"); // a break never recorded stays unrecorded
            table.update(u, DynamoTable.itemKey(pk, Keys.breakRecord(b.brokenSince(), b.userId(),
                    b.connectionId())));
        }
    }

    @Override
    public void recordMembers(String brokerageId, List<Member> live, List<Member> gone) {
        String pk = Keys.brokeragePartition(brokerageId);
        List<Map<String, AttributeValue>> puts = new ArrayList<>(live.size());
        for (Member m : live) {
            Map<String, AttributeValue> item = new HashMap<>(DynamoTable.itemKey(pk,
                    Keys.member(m.userId(), m.connectionId())));
            item.put(ENTITY, AttributeValue.fromS(Attributes.MEMBER_ENTITY));
            item.put(USER_ID, AttributeValue.fromS(m.userId()));
            item.put(CONNECTION_ID, AttributeValue.fromS(m.connectionId()));
            puts.add(item);
        }
        List<Map<String, AttributeValue>> deletes = new ArrayList<>(gone.size());
        for (Member m : gone) {
            deletes.add(DynamoTable.itemKey(pk, Keys.member(m.userId(), m.connectionId())));
        }
        table.writeAll(puts, deletes);
    }

    @Override
    public List<Break> breaks(String brokerageId, Instant from, Instant to) {
        if (from.isAfter(to)) {
            return List.of(); // an empty range (DynamoDB refuses BETWEEN with its bounds reversed)
        }
        return table.items(breakRange(brokerageId, Keys.breakBound(from), Keys.breakBoundAfter(to))
                        .projectionExpression("#user, #connection, #since")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK, "#user", USER_ID,
                                "#connection", CONNECTION_ID, "#since", BROKEN_SINCE)))
                .map(item -> new Break(Items.str(item, USER_ID), Items.str(item, CONNECTION_ID),
                        Items.time(item, BROKEN_SINCE)))
                .toList();
    }

    @Override
    public Tally tally(String brokerageId, Instant since) {
        // a connection is still broken when any of its breaks since then is unresolved: a fix resolves the break it
        // ends, and a break recorded again (the same time, or one before an earlier fixed break: SnapTrade's
        // disabled date) is unresolved again, whatever order the break times sort in
        Map<List<String>, Boolean> resolved = new HashMap<>();
        table.items(breakRange(brokerageId, Keys.breakBound(since), Keys.BREAK_PREFIX + "~")
                        .projectionExpression("#user, #connection, #resolved")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK, "#user", USER_ID,
                                "#connection", CONNECTION_ID, "#resolved", RESOLVED_AT)))
                .forEach(item -> resolved.merge(List.of(Items.str(item, USER_ID), Items.str(item, CONNECTION_ID)),
                        item.containsKey(RESOLVED_AT), Boolean::logicalAnd));
        int unresolved = 0;
        for (boolean r : resolved.values()) {
            if (!r) {
                unresolved++;
            }
        }
        return new Tally(resolved.size(), unresolved);
    }

    private static QueryRequest.Builder breakRange(String brokerageId, String from, String to) {
        return QueryRequest.builder()
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.brokeragePartition(brokerageId)),
                        ":from", AttributeValue.fromS(from),
                        ":to", AttributeValue.fromS(to)));
    }

    @Override
    public Optional<Known> known(String brokerageId) {
        Map<String, AttributeValue> item = table.get(DynamoTable.itemKey(Keys.brokeragePartition(brokerageId),
                Keys.KNOWN_SK));
        return item == null ? Optional.empty() : Optional.of(new Known(
                (int) Items.number(item, Attributes.KNOWN_CONNECTIONS), Items.time(item, Attributes.COUNTED_AT)));
    }

    @Override
    public Known countKnown(String brokerageId, Instant at) {
        String pk = Keys.brokeragePartition(brokerageId);
        int count = table.count(QueryRequest.builder()
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                        ":prefix", AttributeValue.fromS(Keys.MEMBER_PREFIX))));
        UpdateBuilder u = new UpdateBuilder()
                .set(ENTITY, Attributes.KNOWN_ENTITY)
                .set(BROKERAGE_ID, brokerageId)
                .set(Attributes.KNOWN_CONNECTIONS, AttributeValue.fromN(Integer.toString(count)))
                .set(Attributes.COUNTED_AT, Watermark.timeKey(at));
        table.write(u, DynamoTable.itemKey(pk, Keys.KNOWN_SK),
                ReturnValue.NONE);
        return new Known(count, at);
    }

    @Override
    public Optional<Incident> incident(String brokerageId) {
        Map<String, AttributeValue> item = table.get(incidentKey(brokerageId));
        return item == null ? Optional.empty() : Optional.of(Items.incident(item));
    }

    @Override
    public List<Incident> openIncidents() {
        return table.items(QueryRequest.builder()
                        .keyConditionExpression("#pk = :pk")
                        .filterExpression("#status = :open")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK, "#status", STATUS))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.INCIDENTS_PARTITION),
                                ":open", OPEN)))
                .map(Items::incident)
                .toList();
    }

    @Override
    public boolean open(Incident incident) {
        if (!incident.open()) {
            throw new IllegalArgumentException("not an open incident");
        }
        UpdateBuilder u = new UpdateBuilder()
                .set(ENTITY, Attributes.INCIDENT_ENTITY)
                .set(BROKERAGE_ID, incident.brokerageId())
                .setOrRemove(BROKERAGE_SLUG, incident.brokerage().slug())
                .setOrRemove(BROKERAGE_NAME, incident.brokerage().name())
                .set(Attributes.SINCE, Watermark.timeKey(incident.since()))
                .set(Attributes.UNTIL, Watermark.timeKey(incident.until()))
                .set(Attributes.WINDOW_SECONDS, AttributeValue.fromN(Long.toString(incident.window().toSeconds())))
                .set(Attributes.OPENED_AT, Watermark.timeKey(incident.openedAt()))
                .set(Attributes.BREAKS, AttributeValue.fromN(Integer.toString(incident.breaks())))
                .set(Attributes.KNOWN_CONNECTIONS, AttributeValue.fromN(Integer.toString(incident.known())))
                .set(STATUS, OPEN)
                .remove(Attributes.ENDED_AT).remove(Attributes.END_REASON).remove(Attributes.TOTAL)
                .remove(Attributes.STILL_BROKEN);
        // none yet, or the last one ended and began before this one: never a second incident with the same start
        // (the same id), not even when another batch opened and ended one since this one was read
        u.when("attribute_not_exists(" + u.name(Keys.PK) + ") OR (" + u.name(STATUS) + " <> " + u.value(OPEN)
                + " AND " + u.name(Attributes.SINCE) + " < "
                + u.value(AttributeValue.fromS(Watermark.timeKey(incident.since()))) + ")");
        return table.update(u, incidentKey(incident.brokerageId()));
    }

    @Override
    public boolean end(Incident ended) {
        if (ended.open()) {
            throw new IllegalArgumentException("not an ended incident");
        }
        UpdateBuilder u = new UpdateBuilder()
                .set(STATUS, ended.status().name())
                .set(Attributes.ENDED_AT, Watermark.timeKey(ended.endedAt()))
                .set(Attributes.END_REASON, ended.endReason().wire())
                .set(Attributes.TOTAL, AttributeValue.fromN(Integer.toString(ended.total())))
                .set(Attributes.STILL_BROKEN, AttributeValue.fromN(Integer.toString(ended.stillBroken())));
        u.when(u.name(STATUS) + " = " + u.value(OPEN) + " AND " + u.name(Attributes.SINCE) + " = "
                + u.value(AttributeValue.fromS(Watermark.timeKey(ended.since()))));
        return table.update(u, incidentKey(ended.brokerageId()));
    }

    private static Map<String, AttributeValue> incidentKey(String brokerageId) {
        return DynamoTable.itemKey(Keys.INCIDENTS_PARTITION, Keys.incident(brokerageId));
    }
}
