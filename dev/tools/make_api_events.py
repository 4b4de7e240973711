#!/usr/bin/env python3
# make_api_events.py: writes the HTTP API fixtures in events/ (events/api-*.json).
#
# Each file is an API Gateway HTTP API Lambda event (payload format 2.0) for one route of the ApiFunction, in the
# shape API Gateway sends it, with the authorizer context API Gateway adds: `iam` for the management routes under
# the default IAM authorization, `jwt` claims for the JWT variant, none for the public return landing. The same
# files feed the Java tests (which change path, body or query where a test needs to) and
# `sam local invoke ApiFunction -e events/<file>`.
#
# api-reconnect-return.json carries a placeholder `state`: a real one is signed by the deployment's
# ReconnectStateKey and expires, so a test mints one and puts it into the query.
#
# Run from anywhere (Python 3.11, stdlib only):  python3 dev/tools/make_api_events.py
# Deterministic: running it again gives byte-identical files. It replaces events/api-*.json only.

import base64
import hashlib
import json
import pathlib

EVENTS_DIR = pathlib.Path(__file__).resolve().parents[2] / "events"
ACCOUNT_ID = "123456789012"
API_ID = "ck7w3bh0q2"
DOMAIN_NAME = f"{API_ID}.execute-api.us-east-1.amazonaws.com"
SOURCE_IP = "203.0.113.42"
USER = "alice"
CONNECTION = "7d2b4d4e-6a8e-4b4e-9c1c-2f0c7e9a1b11"
IAM = {
    "iam": {
        "accessKey": "ASIAXAMPLEACCESSKEY0",
        "accountId": ACCOUNT_ID,
        "callerId": "AROAEXAMPLEROLEID0000:app-backend",
        "cognitoIdentity": None,
        "principalOrgId": None,
        "userArn": f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/app-backend/app-backend",
        "userId": "AROAEXAMPLEROLEID0000:app-backend",
    }
}
JWT = {
    "jwt": {
        "claims": {
            "aud": "example-app-client",
            "exp": "1700003600",
            "iat": "1700000000",
            "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE",
            "sub": USER,
        },
        "scopes": None,
    }
}


def event(name, method, route_key, path, body=None, query=None, authorizer=None, user_agent="app-backend/1.0"):
    seed = hashlib.sha256(name.encode()).digest()
    raw_query = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    headers = {"host": DOMAIN_NAME, "user-agent": user_agent, "x-forwarded-for": SOURCE_IP,
               "x-forwarded-port": "443", "x-forwarded-proto": "https"}
    if body is not None:
        headers["content-type"] = "application/json"
        headers["content-length"] = str(len(body.encode()))
    if authorizer is JWT:
        headers["authorization"] = "Bearer eyJraWQiOiJleGFtcGxlIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
    context = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": DOMAIN_NAME,
        "domainPrefix": API_ID,
        "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": SOURCE_IP,
                 "userAgent": user_agent},
        "requestId": base64.b64encode(seed[:11]).decode(),
        "routeKey": route_key,
        "stage": "$default",
        "time": "25/Nov/2026:10:00:00 +0000",
        "timeEpoch": 1795600800000 + int.from_bytes(seed[11:13], "big") % 1000,
    }
    if authorizer is not None:
        context["authorizer"] = authorizer
    out = {"version": "2.0", "routeKey": route_key, "rawPath": path, "rawQueryString": raw_query,
           "headers": headers}
    if query:
        out["queryStringParameters"] = query
    out["requestContext"] = context
    if body is not None:
        out["body"] = body
    out["isBase64Encoded"] = False
    return out


def build():
    link = f"/users/{USER}/connections/{CONNECTION}/reconnect-link"
    return {
        "api-register-user": event("api-register-user", "POST", "POST /users", "/users",
                                   body=json.dumps({"userId": USER}), authorizer=IAM),
        "api-import-secret": event("api-import-secret", "PUT", "PUT /users/{userId}/secret",
                                   f"/users/{USER}/secret",
                                   body=json.dumps({"userSecret": "user-secret-from-your-own-store"}),
                                   authorizer=IAM),
        "api-list-connections": event("api-list-connections", "GET", "GET /users/{userId}/connections",
                                      f"/users/{USER}/connections", authorizer=IAM),
        "api-list-connections-jwt": event("api-list-connections-jwt", "GET", "GET /users/{userId}/connections",
                                          f"/users/{USER}/connections", authorizer=JWT,
                                          user_agent="Mozilla/5.0"),
        "api-reconnect-link": event("api-reconnect-link", "POST",
                                    "POST /users/{userId}/connections/{connectionId}/reconnect-link", link,
                                    body=json.dumps({"redirectUrl": "https://app.example.com/connections/done",
                                                     "immediateRedirect": True}),
                                    authorizer=IAM),
        "api-reset-secret": event("api-reset-secret", "POST", "POST /users/{userId}/secret/reset",
                                  f"/users/{USER}/secret/reset", authorizer=IAM),
        "api-delete-user": event("api-delete-user", "DELETE", "DELETE /users/{userId}", f"/users/{USER}",
                                 authorizer=IAM),
        "api-reconnect-return": event("api-reconnect-return", "GET", "GET /reconnect/return", "/reconnect/return",
                                      query={"state": "REPLACED-BY-THE-TEST", "status": "SUCCESS",
                                             "connection_id": CONNECTION},
                                      user_agent="Mozilla/5.0"),
    }


def main():
    for old in EVENTS_DIR.glob("api-*.json"):
        old.unlink()
    events = build()
    for name, body in events.items():
        (EVENTS_DIR / f"{name}.json").write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(events)} API events to {EVENTS_DIR}")


if __name__ == "__main__":
    main()
