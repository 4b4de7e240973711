"""Writes events/stream-*.json: DynamoDB stream events (NEW_AND_OLD_IMAGES) of the table's connection, user and
incident items, as Lambda hands them to LifecycleFunction, for the lifecycle tests and `sam local invoke LifecycleFunction`.
Python 3, stdlib only; deterministic. Usage: python3 dev/tools/make_stream_events.py [out-dir (default events)]"""
import json, os, sys
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "events")
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/connection-keeper-ConnectionsTable/stream/2026-03-01T00:00:00.000"
def S(v): return {"S": v}
def N(v): return {"N": str(v)}
def conn(status, wm, source, event_type, broken_since=None, verified=None, verify_requested=None, fixed_at=None):
    item = {"pk": S("user-42"), "sk": S("CONN#conn-7"), "entity": S("CONNECTION"), "userId": S("user-42"),
            "connectionId": S("conn-7"), "status": S(status), "watermark": S(wm), "lastEventType": S(event_type),
            "source": S(source), "brokerageId": S("brk-robinhood")}
    if broken_since: item["brokenSince"] = S(broken_since)
    if fixed_at: item["fixedAt"] = S(fixed_at)
    if verify_requested: item["verifyRequestedAt"] = S(verify_requested)
    if verified:
        item.update({"brokerageSlug": S("ROBINHOOD"), "brokerageName": S("Robinhood"), "type": S("trade"),
                     "lastVerifiedAt": S(verified)})
    return item
def user(status, wm, extra=None):
    item = {"pk": S("user-42"), "sk": S("USER"), "entity": S("USER"), "userId": S("user-42"), "status": S(status),
            "registeredAt": S("2026-01-10T09:00:00.000000000Z"), "watermark": S(wm),
            "userSecret": S("sealed-or-not-this-is-a-fixture")}
    if extra: item.update(extra)
    return item
seq = [100000000000000000001]
def record(name, old, new, created=1772368200):
    seq[0] += 1
    keys = {"pk": (new or old)["pk"], "sk": (new or old)["sk"]}
    d = {"ApproximateCreationDateTime": created, "Keys": keys, "SequenceNumber": str(seq[0]), "SizeBytes": 512,
         "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if old is not None: d["OldImage"] = old
    if new is not None: d["NewImage"] = new
    return {"eventID": "ev-%d" % seq[0], "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1", "dynamodb": d, "eventSourceARN": ARN}
W = lambda t, p, tb: "2026-03-01T%s.000000000Z#%d#%s" % (t, p, tb)
added = conn("ACTIVE", W("09:00:00", 1, "wh-added"), "webhook", "CONNECTION_ADDED")
verified = conn("ACTIVE", W("09:00:00", 1, "wh-added"), "webhook", "CONNECTION_ADDED",
                verified="2026-03-01T09:30:00.000000000Z")
broken = conn("BROKEN", W("10:00:00", 3, "wh-broken"), "webhook", "CONNECTION_BROKEN",
              broken_since="2026-03-01T10:00:00.000000000Z", verified="2026-03-01T09:30:00.000000000Z")
fixed = conn("ACTIVE", W("11:15:00", 5, "ret-1"), "portal", "PORTAL_RETURN",
             fixed_at="2026-03-01T11:15:00.000000000Z", verified="2026-03-01T11:15:00.000000000Z")
deleted = conn("DELETED", W("12:00:00", 9, "req-del"), "api", "USER_DELETED",
               verified="2026-03-01T11:15:00.000000000Z")
seen_broken = conn("BROKEN", W("08:00:00", 0, "run-3"), "sweep", "SWEEP_OBSERVED",
                   broken_since="2026-03-01T08:00:00.000000000Z", verified="2026-03-01T08:00:00.000000000Z")
history = {"pk": S("user-42"), "sk": S("HIST#conn-7#2026-03-01T10:00:00.000000000Z#wh-broken#CONNECTION_BROKEN"),
           "entity": S("HISTORY"), "userId": S("user-42"), "connectionId": S("conn-7"), "webhookId": S("wh-broken"),
           "eventType": S("CONNECTION_BROKEN"), "result": S("applied"), "deliveries": N(1)}
live_user = user("ACTIVE", W("09:00:00", 0, "wh-reg"))
swept_user = user("ACTIVE", W("09:00:00", 0, "wh-reg"), {"sweepOrder": S("2026-03-01T10:05:00.000000000Z#user-42"),
                                                         "lastCheckedAt": S("2026-03-01T10:05:00.000000000Z")})
gone_user = user("DELETED", W("12:00:00", 9, "req-del"), {"deletedAt": S("2026-03-01T12:00:00.000000000Z"),
                                                         "deletionWatermark": S(W("12:00:00", 9, "req-del")),
                                                         "source": S("api")})
reminded = dict(broken)
reminded.update({"reminderStep": N(2), "reminderFor": S("2026-03-01T10:00:00.000000000Z"),
                 "remindedAt": S("2026-03-04T10:05:00.000000000Z"),
                 "lastLinkIssuedAt": S("2026-03-03T08:00:00.000000000Z")})
reminded_before = dict(broken)
reminded_before.update({"reminderStep": N(1), "reminderFor": S("2026-03-01T10:00:00.000000000Z"),
                        "remindedAt": S("2026-03-02T10:05:00.000000000Z")})
def incident(status, extra=None):
    item = {"pk": S("INCIDENTS"), "sk": S("brk-robinhood"), "entity": S("INCIDENT"), "brokerageId": S("brk-robinhood"),
            "brokerageSlug": S("ROBINHOOD"), "brokerageName": S("Robinhood"),
            "since": S("2026-03-01T09:41:07.000000000Z"), "until": S("2026-03-01T10:00:00.000000000Z"),
            "windowSeconds": N(1800), "openedAt": S("2026-03-01T10:00:02.000000000Z"), "breaks": N(212),
            "knownConnections": N(480), "status": S(status)}
    if extra: item.update(extra)
    return item
suspected = incident("OPEN")
ended = incident("ENDED", {"endedAt": S("2026-03-01T13:20:00.000000000Z"), "endReason": S("repaired"),
                           "total": N(230), "stillBroken": N(96)})
break_record = {"pk": S("BROKERAGE#brk-robinhood"), "sk": S("BREAK#2026-03-01T10:00:00.000000000Z#user-42#conn-7"),
                "entity": S("BROKERAGE_BREAK"), "brokerageId": S("brk-robinhood"), "userId": S("user-42"),
                "connectionId": S("conn-7"), "brokenSince": S("2026-03-01T10:00:00.000000000Z"),
                "expiresAt": N(1772492400)}
member = {"pk": S("BROKERAGE#brk-robinhood"), "sk": S("MEMBER#user-42#conn-7"), "entity": S("BROKERAGE_MEMBER"),
          "userId": S("user-42"), "connectionId": S("conn-7")}
files = {
  "stream-connection-added.json": [record("INSERT", None, added)],
  "stream-connection-broken.json": [record("MODIFY", verified, broken)],
  "stream-connection-fixed.json": [record("MODIFY", broken, fixed)],
  "stream-connection-first-seen-broken.json": [record("INSERT", None, seen_broken)],
  "stream-user-deleted.json": [record("MODIFY", swept_user, gone_user), record("MODIFY", fixed, deleted)],
  "stream-connection-reminder.json": [record("MODIFY", reminded_before, reminded, created=1772619000)],
  "stream-no-transition.json": [record("MODIFY", added, verified), record("MODIFY", broken, broken),
                                record("INSERT", None, history), record("MODIFY", live_user, swept_user),
                                record("REMOVE", history, None), record("INSERT", None, break_record),
                                record("INSERT", None, member)],
  "stream-incident-suspected.json": [record("INSERT", None, suspected, created=1772359202)],
  "stream-incident-ended.json": [record("MODIFY", suspected, ended, created=1772371200)],
}
for name, records in files.items():
    with open(out + "/" + name, "w") as f:
        json.dump({"Records": records}, f, indent=2, ensure_ascii=False)
        f.write("\n")
print("\n".join(files))
