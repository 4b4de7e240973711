#!/usr/bin/env python3
# make_webhook_events.py: writes the SnapTrade webhook fixtures in events/.
#
# Each events/webhook-*.json is an API Gateway HTTP API Lambda event (payload format 2.0) for
# POST /webhooks/snaptrade, in the shape API Gateway sends it: lower-case header names, the SnapTrade
# `signature` header, and the body as a string, pretty-printed and unsorted the way a wire body might arrive.
# The same files feed the Java tests and `sam local invoke WebhookFunction -e events/<file>`.
# The script also writes events/README.md, which lists every file and the response the app should give.
#
# Signature = base64(HMAC-SHA256(key, json.dumps(payload, separators=(",", ":"), sort_keys=True))), the
# algorithm in SnapTrade's docs. Good events are signed with LOCAL_CONSUMER_KEY, the consumer key for local
# runs and tests only (it is not a secret).
#
# Run from anywhere (Python 3.11, stdlib only):  python3 dev/tools/make_webhook_events.py
# The output is deterministic: request ids, times and trace ids come from fixed inputs, so running it again
# gives byte-identical files. It replaces events/webhook-*.json and events/README.md and touches nothing else.
# To change a fixture, edit this script and run it again; do not edit the generated files by hand.

import base64
import datetime
import hashlib
import hmac
import json
import pathlib
import uuid

LOCAL_CONSUMER_KEY = "local-snaptrade-consumer-key"
FORGED_CONSUMER_KEY = "not-the-local-consumer-key"  # used only for webhook-bad-forged.json

EVENTS_DIR = pathlib.Path(__file__).resolve().parents[2] / "events"

# API Gateway side. All made up but well-formed: account 123456789012 and the TEST-NET-3 address 203.0.113.0/24
# are reserved for documentation. SnapTrade's real User-Agent is not confirmed, so nothing may depend on it.
ACCOUNT_ID = "123456789012"
API_ID = "ck7w3bh0q2"
DOMAIN_NAME = f"{API_ID}.execute-api.us-east-1.amazonaws.com"
ROUTE_KEY = "POST /webhooks/snaptrade"
PATH = "/webhooks/snaptrade"
SOURCE_IP = "203.0.113.42"
USER_AGENT = "python-requests/2.31.0"

# ---------------------------------------------------------------------------------------------------------------
# Payloads: the sample set (one per SnapTrade webhook type)
#
# openapi.yaml has no per-type examples: all its Webhooks_* operations share components/schemas/WebhookBase,
# whose only example values are for webookId [sic], clientId, eventTimestamp and userId. The documented sample
# values are the ones in /work/shared/snaptrade/webhook-signature-vectors.json: CONNECTION_BROKEN,
# CONNECTION_FIXED, CONNECTION_ADDED and ACCOUNT_HOLDINGS_UPDATED are copied from there exactly. Every other type
# is built the same way: the shared webhookId/clientId/eventTimestamp/userId, plus the type-specific fields
# that /work/shared/snaptrade/README.md ("Webhooks") lists.
# The samples share one webhookId and one eventTimestamp, as the documented samples do. Each one that names a
# connection names a different connection, so that no two of them collide when all are sent to the same table.
# ---------------------------------------------------------------------------------------------------------------

DOC_WEBHOOK_ID = "434d23af-5f89-44f8-9415-5029557e64c7"
DOC_CLIENT_ID = "yLNANjmwau"
DOC_EVENT_TIMESTAMP = "2022-05-31T11:37:50.590720+00:00"
DOC_USER_ID = "DbjLqtPsj6G1MlDLtZaps4YhtckD0jWOuLQjl6GPW4FmpUa8eo"
DOC_WEBHOOK_SECRET = "SCNsZYmJcuXRiznplDdL"
DOC_BROKERAGE_ID = "c8153291-0761-43a8-8ed0-4642103c2cb8"


def doc_base(event_type, secret=True):
    """The fields on every event, in the documented samples' order."""
    payload = {
        "webhookId": DOC_WEBHOOK_ID,
        "clientId": DOC_CLIENT_ID,
        "eventTimestamp": DOC_EVENT_TIMESTAMP,
        "userId": DOC_USER_ID,
        "eventType": event_type,
    }
    if secret:
        payload["webhookSecret"] = DOC_WEBHOOK_SECRET
    return payload


def with_fields(payload, **fields):
    """payload plus fields, inserted just before webhookSecret (which the documented samples put last)."""
    secret = payload.pop("webhookSecret", None)
    payload.update(fields)
    if secret is not None:
        payload["webhookSecret"] = secret
    return payload


def order_record(order_id, status, action, symbol, quantity, price, placed, executed):
    """An order shaped like openapi.yaml's AccountOrderRecord: symbol is a brokerage symbol id, quantities are
    strings, prices are numbers."""
    return {
        "brokerage_order_id": order_id,
        "status": status,
        "symbol": symbol,
        "action": action,
        "total_quantity": quantity,
        "open_quantity": "0",
        "canceled_quantity": "0",
        "filled_quantity": quantity if status == "EXECUTED" else "0",
        "execution_price": price,
        "limit_price": None,
        "stop_price": None,
        "order_type": "Market",
        "time_in_force": "Day",
        "time_placed": placed,
        "time_updated": executed,
        "time_executed": executed if status == "EXECUTED" else None,
    }


# (eventType, source, what the app should answer, payload). source: "vectors" = the documented value set from
# webhook-signature-vectors.json; "README" = built from the README's field list in the same style.
SAMPLES = [
    ("USER_REGISTERED", "README",
     "200: user recorded, no connection changes",
     doc_base("USER_REGISTERED")),
    ("USER_DELETED", "README",
     "200: user and every connection of that user marked DELETED (nothing to do if the user is unknown)",
     doc_base("USER_DELETED")),
    ("CONNECTION_ATTEMPTED", "README",
     "200: recorded only (no connection id in this event)",
     with_fields(doc_base("CONNECTION_ATTEMPTED"),
                 connectionAttemptedResult="SUCCESS", brokerageId=DOC_BROKERAGE_ID)),
    ("CONNECTION_ADDED", "vectors",
     "200: connection a0231bd2-... ACTIVE (created)",
     with_fields(doc_base("CONNECTION_ADDED", secret=False),
                 brokerageId=DOC_BROKERAGE_ID,
                 brokerageAuthorizationId="a0231bd2-9b77-4732-ba78-f9c6af6a1a62")),
    ("CONNECTION_DELETED", "README",
     "200: connection 7f3c1e52-... DELETED (recorded even if it was unknown)",
     with_fields(doc_base("CONNECTION_DELETED"),
                 brokerageId=DOC_BROKERAGE_ID,
                 brokerageAuthorizationId="7f3c1e52-9d4b-4c1a-8e6f-2b5d9a0c4e17")),
    ("CONNECTION_BROKEN", "vectors",
     "200: connection dc90a844-... BROKEN, brokenSince = eventTimestamp",
     with_fields(doc_base("CONNECTION_BROKEN"),
                 brokerageAuthorizationId="dc90a844-367b-4120-8b56-21040bfa6525")),
    ("CONNECTION_FIXED", "vectors",
     "200: connection 5e942e13-... ACTIVE",
     with_fields(doc_base("CONNECTION_FIXED", secret=False),
                 brokerageAuthorizationId="5e942e13-2b39-47b2-b524-858b9d9849ed")),
    ("CONNECTION_UPDATED", "README",
     "200: connection 0c9e4b7a-... status unchanged, flagged for verification",
     with_fields(doc_base("CONNECTION_UPDATED"),
                 brokerageAuthorizationId="0c9e4b7a-3f21-4d8e-b5a6-91d2c7e8f340")),
    ("CONNECTION_FAILED", "README",
     "200: recorded only (no connection id in this event)",
     doc_base("CONNECTION_FAILED")),
    ("NEW_ACCOUNT_AVAILABLE", "README",
     "200: accepted, no connection status change",
     with_fields(doc_base("NEW_ACCOUNT_AVAILABLE"),
                 accountId="b6f2d1c0-7e3a-4b59-9c8d-1a2e3f4b5c6d",
                 brokerageAuthorizationId="9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d")),
    ("ACCOUNT_REMOVED", "README",
     "200: accepted, no connection status change",
     with_fields(doc_base("ACCOUNT_REMOVED"),
                 accountId="c7a3e2d1-8f4b-4c6a-ad9e-2b3f4a5c6d7e",
                 brokerageAuthorizationId="1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e")),
    ("ACCOUNT_TRANSACTIONS_INITIAL_UPDATE", "README",
     "200: accepted, no connection status change",
     with_fields(doc_base("ACCOUNT_TRANSACTIONS_INITIAL_UPDATE"),
                 accountId="d8b4f3e2-9a5c-4d7b-be0f-3c4a5b6d7e8f",
                 brokerageAuthorizationId="2c3d4e5f-6a7b-4c8d-ae9f-1a2b3c4d5e6f")),
    ("ACCOUNT_TRANSACTIONS_UPDATED", "README",
     "200: accepted, no connection status change",
     with_fields(doc_base("ACCOUNT_TRANSACTIONS_UPDATED"),
                 accountId="e9c5a4f3-0b6d-4e8c-8f1a-4d5b6c7e8f9a",
                 brokerageAuthorizationId="3d4e5f6a-7b8c-4d9e-bf0a-2b3c4d5e6f7a")),
    # The accountId and brokerageAuthorizationId below are not valid UUIDs ("g", "h"), as in the documented
    # sample: ids must be treated as opaque strings.
    ("ACCOUNT_HOLDINGS_UPDATED", "vectors",
     "200: accepted, no connection status change (ids are not valid UUIDs: treat them as opaque strings)",
     with_fields(doc_base("ACCOUNT_HOLDINGS_UPDATED", secret=False),
                 accountId="45a3g56a-eef6-4904-a68e-d3f90c3e07c5",
                 brokerageAuthorizationId="6bb1ahb0-b8c8-4b59-8bf9-7841d7a89c63",
                 details={"total_value": {"success": True, "error": None},
                          "positions": {"success": False, "error": "timeout"}})),
    # The trade events carry floats (150.5, 100.0) so that tests check float formatting in the canonical form.
    ("TRADE_DETECTION", "README",
     "200: accepted, no connection status change",
     with_fields(doc_base("TRADE_DETECTION"),
                 accountId="f0d6b5a4-1c7e-4f9d-9a2b-5e6c7d8f9a0b",
                 brokerageAuthorizationId="4e5f6a7b-8c9d-4eaf-8a1b-3c4d5e6f7a8b",
                 details={"orders": [order_record(
                     "66a1b2c3d4", "EXECUTED", "BUY", "2bcd7cc3-e922-4976-bce1-9858296801c3", "10", 150.5,
                     "2022-05-31T11:37:41.204113Z", "2022-05-31T11:37:42.880391Z")]})),
    ("TRADE_UPDATE", "README",
     "200: accepted, no connection status change",
     with_fields(doc_base("TRADE_UPDATE"),
                 accountId="0a1e7c6b-2d8f-4a0e-8b3c-6f7d8e9a0b1c",
                 brokerageAuthorizationId="5f6a7b8c-9d0e-4fa1-9b2c-4d5e6f7a8b9c",
                 details={"orders": [order_record(
                     "66a1b2c3d5", "EXECUTED", "SELL", "8e7a4f2b-1c3d-4e5f-a6b7-c8d9e0f1a2b3", "5", 100.0,
                     "2022-05-31T11:36:58.611902Z", "2022-05-31T11:37:03.052741Z")]})),
]

BROKEN_SAMPLE = next(p for t, _, _, p in SAMPLES if t == "CONNECTION_BROKEN")

# ---------------------------------------------------------------------------------------------------------------
# Payloads: the lifecycle set. The documented CONNECTION_* samples use a different connection id each and the
# same eventTimestamp, so they cannot show one connection's life. Here one connection of the documented user
# goes through added, broken, fixed, updated, broken, deleted: eventTimestamps increase and every webhookId is
# different (uuid5 of a fixed name, so the values never change).
# ---------------------------------------------------------------------------------------------------------------

LIFECYCLE_CONNECTION_ID = "5b7d6c1e-2a9f-4e3b-8c4d-0f1a2b3c4d5e"
_LIFECYCLE_NAMESPACE = uuid.UUID("0e4c1a52-6b1f-4f0c-9a57-3d2b8e7c6a10")

LIFECYCLE = [
    # (step, eventType, eventTimestamp, expectation)
    (1, "CONNECTION_ADDED", "2022-06-01T14:02:11.402918+00:00",
     "200: connection 5b7d6c1e-... ACTIVE (created)"),
    (2, "CONNECTION_BROKEN", "2022-06-09T03:17:45.118204+00:00",
     "200: BROKEN, brokenSince 2022-06-09T03:17:45.118204+00:00"),
    (3, "CONNECTION_FIXED", "2022-06-09T16:48:02.731560+00:00",
     "200: ACTIVE again (brokenSince cleared)"),
    (4, "CONNECTION_UPDATED", "2022-06-20T08:05:29.006413+00:00",
     "200: still ACTIVE, flagged for verification"),
    (5, "CONNECTION_BROKEN", "2022-07-02T22:41:57.845102+00:00",
     "200: BROKEN, brokenSince 2022-07-02T22:41:57.845102+00:00"),
    (6, "CONNECTION_DELETED", "2022-07-03T10:12:30.519877+00:00",
     "200: DELETED"),
]


def lifecycle_payload(step, event_type, event_timestamp):
    payload = {
        "webhookId": str(uuid.uuid5(_LIFECYCLE_NAMESPACE, f"lifecycle-{step}")),
        "clientId": DOC_CLIENT_ID,
        "eventTimestamp": event_timestamp,
        "userId": DOC_USER_ID,
        "eventType": event_type,
    }
    if event_type in ("CONNECTION_ADDED", "CONNECTION_DELETED"):
        payload["brokerageId"] = DOC_BROKERAGE_ID
    payload["brokerageAuthorizationId"] = LIFECYCLE_CONNECTION_ID
    payload["webhookSecret"] = DOC_WEBHOOK_SECRET
    return payload


# ---------------------------------------------------------------------------------------------------------------
# Signing and the API Gateway event
# ---------------------------------------------------------------------------------------------------------------

def canonical(payload):
    """SnapTrade's canonical form: Python's compact, key-sorted JSON (non-ASCII escaped as \\uXXXX)."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True)


def sign_bytes(data, key=LOCAL_CONSUMER_KEY):
    return base64.b64encode(hmac.new(key.encode(), data, hashlib.sha256).digest()).decode()


def sign(payload, key=LOCAL_CONSUMER_KEY):
    return sign_bytes(canonical(payload).encode(), key)


def wire_body(payload):
    """How a body may arrive: pretty-printed, keys in SnapTrade's order, non-ASCII escaped."""
    return json.dumps(payload, indent=2)


def delivery_time(payload):
    """When API Gateway received the request: one second after eventTimestamp (or after the sample's)."""
    stamp = payload.get("eventTimestamp") if isinstance(payload, dict) else None
    sent = datetime.datetime.fromisoformat(stamp or DOC_EVENT_TIMESTAMP)
    return (sent + datetime.timedelta(seconds=1)).astimezone(datetime.timezone.utc).replace(microsecond=0)


def api_gateway_event(name, body, signature, received, base64_encoded=False):
    """An HTTP API payload-format-2.0 event for POST /webhooks/snaptrade with the given body (str)."""
    raw = body.encode()
    seed = hashlib.sha256(f"{name}".encode()).digest()
    epoch_seconds = int(received.timestamp())
    headers = {
        "content-length": str(len(raw)),
        "content-type": "application/json",
        "host": DOMAIN_NAME,
    }
    if signature is not None:
        headers["signature"] = signature
    headers.update({
        "user-agent": USER_AGENT,
        "x-amzn-trace-id": f"Root=1-{epoch_seconds:08x}-{seed[11:23].hex()}",
        "x-forwarded-for": SOURCE_IP,
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    })
    return {
        "version": "2.0",
        "routeKey": ROUTE_KEY,
        "rawPath": PATH,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": DOMAIN_NAME,
            "domainPrefix": API_ID,
            "http": {
                "method": "POST",
                "path": PATH,
                "protocol": "HTTP/1.1",
                "sourceIp": SOURCE_IP,
                "userAgent": USER_AGENT,
            },
            # HTTP API request ids look like "JKJaXmPLvHcESHA=" (11 bytes, base64)
            "requestId": base64.b64encode(seed[:11]).decode(),
            "routeKey": ROUTE_KEY,
            "stage": "$default",
            "time": received.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": epoch_seconds * 1000 + int.from_bytes(seed[23:25], "big") % 1000,
        },
        "body": base64.b64encode(raw).decode() if base64_encoded else body,
        "isBase64Encoded": base64_encoded,
    }


def kebab(event_type):
    return event_type.lower().replace("_", "-")


# ---------------------------------------------------------------------------------------------------------------
# The fixtures
# ---------------------------------------------------------------------------------------------------------------

def build():
    """Returns [(file name, group, what it is, expected response, event)]."""
    fixtures = []

    def add(name, group, what, expect, body, signature, payload_for_time, base64_encoded=False):
        event = api_gateway_event(name, body, signature, delivery_time(payload_for_time), base64_encoded)
        fixtures.append((name, group, what, expect, event))

    # One per webhook type, signed with the local key.
    for event_type, source, expect, payload in SAMPLES:
        origin = ("documented sample (webhook-signature-vectors.json)" if source == "vectors"
                  else "sample built from the README's field list")
        add(f"webhook-{kebab(event_type)}.json", "sample", f"{event_type}: {origin}", expect,
            wire_body(payload), sign(payload), payload)

    broken_body = wire_body(BROKEN_SAMPLE)
    broken_signature = sign(BROKEN_SAMPLE)

    # Variants of CONNECTION_BROKEN.
    oauth = {k: v for k, v in BROKEN_SAMPLE.items() if k not in ("clientId", "brokerageAuthorizationId")}
    oauth = with_fields(oauth, connectionId=BROKEN_SAMPLE["brokerageAuthorizationId"], schemaVersion="oauth_v1")
    add("webhook-connection-broken-oauth.json", "variant",
        'CONNECTION_BROKEN as an OAuth app gets it: schemaVersion "oauth_v1", connectionId instead of '
        "brokerageAuthorizationId, no clientId",
        "200: connection dc90a844-... BROKEN (a duplicate if webhook-connection-broken.json already went to the "
        "same table: same webhookId and connection)",
        wire_body(oauth), sign(oauth), oauth)
    add("webhook-connection-broken-base64.json", "variant",
        "webhook-connection-broken.json with isBase64Encoded true: body is base64 of the same bytes, same "
        "signature",
        "200: as webhook-connection-broken.json (a duplicate of it if both go to the same table)",
        broken_body, broken_signature, BROKEN_SAMPLE, base64_encoded=True)
    unknown = with_fields(doc_base("SOMETHING_NEW"),
                          brokerageAuthorizationId="6c7d8e9f-0a1b-4c2d-9e3f-5a6b7c8d9e0f",
                          somethingNewDetails={"reason": "a type added after this app was written"})
    add("webhook-unknown-type.json", "variant",
        'eventType "SOMETHING_NEW" (SnapTrade may add types at any time), validly signed',
        "200: accepted and ignored (no state change); must not be rejected, or SnapTrade retries it",
        wire_body(unknown), sign(unknown), unknown)

    # One connection's life, in order.
    for step, event_type, stamp, expect in LIFECYCLE:
        payload = lifecycle_payload(step, event_type, stamp)
        add(f"webhook-lifecycle-{step}-{kebab(event_type)}.json", "lifecycle",
            f"lifecycle step {step}: {event_type} at {stamp}", expect,
            wire_body(payload), sign(payload), payload)

    # Bad requests: each breaks exactly one thing.
    add("webhook-bad-forged.json", "bad",
        f'the CONNECTION_BROKEN sample signed with another key ("{FORGED_CONSUMER_KEY}")',
        "401, no state change",
        broken_body, sign(BROKEN_SAMPLE, FORGED_CONSUMER_KEY), BROKEN_SAMPLE)
    original_id = BROKEN_SAMPLE["brokerageAuthorizationId"]
    tampered_id = original_id[:-1] + ("6" if original_id[-1] != "6" else "7")
    assert broken_body.count(original_id) == 1
    add("webhook-bad-tampered.json", "bad",
        f"the CONNECTION_BROKEN sample with its valid signature, then brokerageAuthorizationId changed to "
        f"{tampered_id}",
        "401, no state change",
        broken_body.replace(original_id, tampered_id), broken_signature, BROKEN_SAMPLE)
    add("webhook-bad-unsigned.json", "bad",
        "the CONNECTION_BROKEN sample with no signature header",
        "401, no state change",
        broken_body, None, BROKEN_SAMPLE)
    malformed = broken_body[: broken_body.rindex("}")]  # drop the closing brace: not JSON any more
    add("webhook-bad-malformed.json", "bad",
        "the CONNECTION_BROKEN body without its closing brace (not JSON), signed over its raw bytes so the "
        "signature passes and only the JSON check rejects it",
        "400, no state change",
        malformed, sign_bytes(malformed.encode()), BROKEN_SAMPLE)
    as_array = [BROKEN_SAMPLE]
    add("webhook-bad-not-object.json", "bad",
        "a JSON array holding the CONNECTION_BROKEN sample, validly signed over the array's canonical form",
        "400, no state change",
        wire_body(as_array), sign(as_array), BROKEN_SAMPLE)
    missing = {k: v for k, v in BROKEN_SAMPLE.items() if k not in ("eventTimestamp", "webhookId")}
    add("webhook-bad-missing-fields.json", "bad",
        "the CONNECTION_BROKEN sample without eventTimestamp and webhookId, validly signed (it can be neither "
        "deduplicated nor ordered)",
        "400, no state change",
        wire_body(missing), sign(missing), BROKEN_SAMPLE)

    return fixtures


README_HEAD = """\
# events/: SnapTrade webhook fixtures

<!-- Generated by dev/tools/make_webhook_events.py. Edit the script, not this file. -->

Each `webhook-*.json` is an API Gateway HTTP API Lambda event (payload format 2.0) for `POST /webhooks/snaptrade`,
in the shape API Gateway sends it: header names in lower case, the SnapTrade `signature` header, the body as a
string. Bodies are pretty-printed and not key-sorted, so a verifier has to rebuild the canonical form before it
checks the signature. The same files drive the Java tests and `sam local invoke`.

**Local consumer key:** `{key}`. Every validly signed event here is signed with it:
`signature = base64(HMAC-SHA256(key, json.dumps(payload, separators=(",", ":"), sort_keys=True)))`.
The key is for local runs and tests only. It is not a secret, and no deployment may use it.

## Regenerate

```
python3 dev/tools/make_webhook_events.py
```

Python 3.11, stdlib only. The output is deterministic: running it again gives byte-identical files. It rewrites
`events/webhook-*.json` and this README and leaves every other file alone.

## Use with SAM

```
sam local invoke WebhookFunction -e events/webhook-connection-broken.json --env-vars dev/sam-local-env.json
```

`dev/sam-local-env.json` has to set `SNAPTRADE_CONSUMER_KEY` to `{key}` for `WebhookFunction`, or every event
gets 401.

The HTTP API's events (`api-*.json`, one per route of `ApiFunction`) are written by
`dev/tools/make_api_events.py` and described in the top-level README ("API").

The table's stream events (`stream-*.json`, DynamoDB stream records for `LifecycleFunction`: each status
transition, a user's deletion, a reminder step, and writes that change no status) are written by
`dev/tools/make_stream_events.py` and described in docs/events.md.

## About the samples

- openapi.yaml has no example per webhook type (every `Webhooks_*` operation shares `WebhookBase`). The
  CONNECTION_ADDED, CONNECTION_BROKEN, CONNECTION_FIXED and ACCOUNT_HOLDINGS_UPDATED bodies are the documented
  samples from `/work/shared/snaptrade/webhook-signature-vectors.json`, values unchanged. The other types are built
  in the same style from the field list in `/work/shared/snaptrade/README.md`.
- Like the documented samples, every event in the sample set has the same webhookId (`{webhook_id}`) and the same
  eventTimestamp. Each sample that names a connection names a different one, so a dedupe keyed on
  (connection, webhookId) keeps them all apart. The samples that name no connection (USER_REGISTERED, USER_DELETED,
  CONNECTION_ATTEMPTED, CONNECTION_FAILED) share a webhookId, and so do the broken sample and its variants. If one
  table gets more than one of them, a dedupe on webhookId alone reports the later ones as duplicates.
- The lifecycle set is one connection (`{lifecycle_id}`) of user `{user_id}`, with increasing
  eventTimestamps and a different webhookId at every step. Send steps 1 to 6 in order. Sending any step again is a
  duplicate: 200, no change. Sending an older step after a newer one (for example step 2 after step 3) is stale:
  200, no change, because state follows the newest eventTimestamp.
- The trade events carry floats (`150.5`, `100.0`) and the holdings event carries `true`/`false`/`null` and
  nesting, so the canonical form gets checked for those too.
- The request side is made up but well-formed: account `123456789012`, source IP `203.0.113.42` (a documentation
  range) and a fixed requestId/time per file. SnapTrade's real User-Agent is not confirmed, so nothing may depend on
  it.
- Status names (ACTIVE / BROKEN / DELETED, "flagged for verification") describe the expected effect. The exact
  result string in the 200 body is the app's choice.

## Files and expected responses

Unless a row says otherwise, each expectation assumes an empty table.

| file | what it is | expected response |
|---|---|---|
"""


def readme(fixtures):
    text = README_HEAD.format(key=LOCAL_CONSUMER_KEY, webhook_id=DOC_WEBHOOK_ID,
                              lifecycle_id=LIFECYCLE_CONNECTION_ID, user_id=DOC_USER_ID)
    for name, _group, what, expect, _event in fixtures:
        text += f"| `{name}` | {what} | {expect} |\n"
    return text


def main():
    fixtures = build()
    names = [f[0] for f in fixtures]
    assert len(names) == len(set(names)), "duplicate file name"
    EVENTS_DIR.mkdir(exist_ok=True)
    for stale in EVENTS_DIR.glob("webhook-*.json"):
        if stale.name not in names:
            stale.unlink()
    for name, _group, _what, _expect, event in fixtures:
        (EVENTS_DIR / name).write_text(json.dumps(event, indent=2) + "\n", encoding="utf-8")
    (EVENTS_DIR / "README.md").write_text(readme(fixtures), encoding="utf-8")
    print(f"wrote {len(fixtures)} events and README.md to {EVENTS_DIR}")


if __name__ == "__main__":
    main()
