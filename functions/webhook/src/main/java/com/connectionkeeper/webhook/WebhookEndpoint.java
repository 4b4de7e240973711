package com.connectionkeeper.webhook;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.json.JsonText;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.log.MetricNames;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.runtime.SnapStartPriming;
import com.connectionkeeper.signature.CanonicalJson;
import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.store.DynamoConnectionStore;
import com.connectionkeeper.store.DynamoStores;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * POST /webhooks/snaptrade in HTTP terms: size limit, authenticity, parsing, ingestion, and the answer SnapTrade
 * gets. Anything but 2xx makes SnapTrade retry (3 times, from 30 minutes on), so only failures worth a retry are 5xx.
 */
public final class WebhookEndpoint {
    /** Largest body we accept (decoded), in bytes. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /**
     * The answer to a body whose raw bytes do not match the signature and that is beyond the bounds within which we
     * compute a canonical form for an unauthenticated body. 400, not 401: the refusal depends on the body alone (no
     * signature could make it acceptable), and says which bounds, so an operator who sees it knows what happened.
     */
    static final String BEYOND_BOUNDS = boundsMessage(CanonicalJson.Limits.UNAUTHENTICATED);
    /** The metric every webhook's log line counts itself in: {@code Webhooks}, by result (and event type). */
    static final String METRIC = MetricNames.WEBHOOKS;
    private final WebhookKeys keys;
    private final Emf.Declaration handledMetric;
    private final Emf.Declaration refusedMetric;
    private final WebhookEventParser parser;
    private final WebhookIngestion ingestion;
    private final BooleanSupplier storePriming;

    /** An HTTP answer: status and JSON body. */
    public record Reply(int status, String body) {
    }

    /**
     * What {@link #prime} did, each true when that part ran as for a real webhook: the signature verified with the
     * key in force, the event parsed, the priming read answered (no item, as always).
     */
    public record Priming(boolean verified, boolean parsed, boolean storeRead) {
    }

    /** With one fixed verifier (tests). */
    public WebhookEndpoint(WebhookVerifier verifier, WebhookIngestion ingestion) {
        this(new WebhookKeys(verifier), ingestion, Emf.DEFAULT_NAMESPACE, () -> false);
    }

    /**
     * @param namespace the CloudWatch namespace of the metric {@code Webhooks} (a count per webhook, by {@code result},
     *                  and by {@code result} and {@code eventType} for those handled) its log lines declare
     * @param storePriming SnapStart priming's read of the table (an item nothing writes); true when it answered
     */
    WebhookEndpoint(WebhookKeys keys, WebhookIngestion ingestion, String namespace, BooleanSupplier storePriming) {
        this.keys = keys;
        List<Emf.Metric> webhooks = List.of(new Emf.Metric(METRIC, "Count"));
        // handled (signed) ones in all too (no dimension: the "no webhook for hours" alarm, which junk posted to the
        // public URL must not silence), by result, and by event type
        this.handledMetric = new Emf.Declaration(namespace, MetricNames.WEBHOOK_HANDLED, webhooks);
        this.refusedMetric = new Emf.Declaration(namespace, MetricNames.WEBHOOK_REFUSED, webhooks);
        this.parser = new WebhookEventParser();
        this.ingestion = ingestion;
        this.storePriming = storePriming;
    }

    /**
     * Everything a production endpoint needs, built once from configuration (the consumer key is read where it is
     * used, so a rotated key arrives without a restart).
     */
    public static WebhookEndpoint fromConfig(Config config) {
        DynamoConnectionStore store = DynamoStores.connectionsFromConfig(config);
        return new WebhookEndpoint(new WebhookKeys(config), new WebhookIngestion(store, Clock.systemUTC()),
                config.settings().optional(Emf.NAMESPACE_VARIABLE).orElse(Emf.DEFAULT_NAMESPACE), store::primeRead);
    }

    /**
     * SnapStart priming, before the snapshot: {@code sample} (a webhook's body) goes through everything a webhook
     * does but the write — signed with the key in force and verified in canonical form, parsed — and the table gets
     * one read of an item nothing writes, so the snapshot holds those classes loaded and the client's request path
     * run. Nothing is written, no one's data is read, and no metric is counted (no webhook arrived); the metric line
     * is only formatted. A step that fails is logged ({@code snapstart_priming_failed}) and the rest goes on: Lambda
     * fails the version (and the deploy) when the hook throws, and priming only saves time.
     */
    public Priming prime(byte[] sample) {
        long started = System.nanoTime();
        boolean verified = SnapStartPriming.step("webhook", "signature", () -> keys.prime(sample));
        boolean parsed = SnapStartPriming.step("webhook", "parser", () -> parser.parse(sample) != null);
        boolean read = SnapStartPriming.step("webhook", "store", storePriming::getAsBoolean);
        SnapStartPriming.step("webhook", "metric", () -> !JsonLog.line("INFO", "webhook_handled", handledMetric,
                "requestId", "priming", "result", "applied", METRIC, 1).isEmpty());
        JsonLog.info("snapstart_primed", "function", "webhook", "verified", verified, "parsed", parsed,
                "storeRead", read, "ms", (System.nanoTime() - started) / 1_000_000);
        return new Priming(verified, parsed, read);
    }

    /** After a SnapStart restore: the function's secrets expire (the snapshot's may be days old): read at next use. */
    public void restore() {
        keys.restore();
    }

    public Reply handle(String body, boolean base64Encoded, String signature, String requestId) {
        long started = System.nanoTime();
        String raw = body == null ? "" : body;
        // base64 inflates by 4/3: anything longer than this cannot decode to MAX_BODY_BYTES or less
        if ((base64Encoded ? raw.length() / 4L * 3 - 2 : raw.length()) > MAX_BODY_BYTES) {
            return reject(413, "body larger than " + MAX_BODY_BYTES + " bytes", requestId);
        }
        byte[] bytes;
        try {
            bytes = base64Encoded ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return reject(400, "body is not valid base64", requestId);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            return reject(413, "body larger than " + MAX_BODY_BYTES + " bytes", requestId);
        }
        switch (keys.verify(bytes, signature, requestId)) {
            case MISSING_SIGNATURE -> {
                return reject(401, "missing Signature header", requestId, "unsigned");
            }
            case MALFORMED_BODY -> {
                return reject(400, "body is not valid JSON", requestId);
            }
            case INVALID_SIGNATURE -> {
                return reject(401, "invalid Signature", requestId);
            }
            case BEYOND_BOUNDS -> {
                return reject(400, BEYOND_BOUNDS, requestId);
            }
            case VALID -> { }
        }
        WebhookEvent event;
        try {
            event = parser.parse(bytes);
        } catch (InvalidWebhookException e) {
            return reject(400, e.getMessage(), requestId);
        }
        IngestResult result;
        try {
            result = ingestion.ingest(event);
        } catch (RuntimeException e) {
            // DynamoDB down or throttled (SdkException), or a bug: 500, so SnapTrade retries the webhook later
            JsonLog.metrics("ERROR", "webhook_failed", refusedMetric, "requestId", requestId,
                    "webhookId", event.webhookId(), "userId", event.userId(), "connectionId", event.connectionId(),
                    "eventType", event.wireType(), "error", e.getClass().getSimpleName(), "result", "failed",
                    METRIC, 1);
            return new Reply(500, error(e instanceof SdkException
                    ? "state store unavailable; retry later" : "internal error; retry later"));
        }
        JsonLog.metrics("INFO", "webhook_handled", handledMetric, "requestId", requestId,
                "webhookId", event.webhookId(), "userId", event.userId(), "connectionId", event.connectionId(),
                "eventType", event.wireType(), "result", result.wire(),
                "ms", (System.nanoTime() - started) / 1_000_000, METRIC, 1);
        return new Reply(200, field("result", result.wire()));
    }

    private static String boundsMessage(CanonicalJson.Limits limits) {
        return "body not signed as sent, and too complex to verify in canonical form (at most " + limits.maxDepth()
                + " levels of nesting, " + limits.maxValues() + " values, " + limits.maxFloats()
                + " floats, numbers of " + limits.maxNumberChars() + " characters)";
    }

    private Reply reject(int status, String message, String requestId) {
        return reject(status, message, requestId, status == 401 ? "unauthorized" : status == 413 ? "too_large"
                : "bad_request");
    }

    /**
     * @param result the metric's {@code result}: {@code unauthorized} (a signature that does not verify: a wrong or
     *               rotated key, what the 401 alarm watches), {@code unsigned} (none at all: scanners of the public
     *               URL), {@code bad_request}, {@code too_large}
     */
    private Reply reject(int status, String message, String requestId, String result) {
        JsonLog.metrics("WARN", "webhook_rejected", refusedMetric, "requestId", requestId, "status", status,
                "reason", message, "result", result, METRIC, 1);
        return new Reply(status, error(message));
    }

    private static String error(String message) {
        return field("error", message);
    }

    private static String field(String name, String value) {
        StringBuilder out = new StringBuilder(64).append('{');
        JsonText.string(out, name);
        out.append(':');
        JsonText.string(out, value);
        return out.append('}').toString();
    }
}
