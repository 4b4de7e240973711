package com.connectionkeeper.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.api.ApiRequest.Caller;
import com.connectionkeeper.api.store.DynamoAccountStore;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentVariables;
import com.connectionkeeper.core.runtime.SnapStartPriming;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.secretsmanager.CredentialsConfig;
import com.connectionkeeper.snaptrade.BudgetPlan;
import com.connectionkeeper.snaptrade.CallPriority;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.store.DynamoRequestWindows;
import com.connectionkeeper.store.DynamoStores;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Lambda entry for the HTTP API's routes (API Gateway HTTP API, payload 2.0): event in, {@link Api}, response out. */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {
    private final Api api;
    private final ApiSnapStart snapStart;

    /** An API with its SnapStart hooks, as the production wiring builds them. */
    record Wired(Api api, ApiSnapStart snapStart) {
    }

    /**
     * Used by Lambda: builds the store, the gateway and the state codec once, from the environment, and registers the
     * SnapStart hooks (a no-op where the JVM has no CRaC).
     */
    public ApiHandler() {
        this(wire(CredentialsConfig.fromSystem(), null, Clock.systemUTC()));
        Core.getGlobalContext().register(this);
        EnvironmentVariables.logReads("api");
    }

    /** Without SnapStart hooks (tests). */
    public ApiHandler(Api api) {
        this.api = api;
        this.snapStart = null;
    }

    ApiHandler(Wired wired) {
        this.api = wired.api();
        this.snapStart = wired.snapStart();
    }

    /** The production wiring: store, gateway and settings, all from one {@link Config}. */
    public static Api fromConfig(Config config, Clock clock) {
        return wire(config, null, clock).api();
    }

    /** The production wiring over a DynamoDB client of the caller's (tests: one that records the table's changes). */
    public static Api fromConfig(Config config, DynamoDbClient dynamo, Clock clock) {
        return wire(config, dynamo, clock).api();
    }

    /** The production wiring with its SnapStart hooks; {@code dynamo} null: the production client. */
    static Wired wire(Config config, DynamoDbClient dynamo, Clock clock) {
        DynamoStores store = dynamo == null ? DynamoStores.fromConfig(config, Sealers.fromConfig(config))
                : DynamoStores.fromConfig(config, dynamo, Sealers.fromConfig(config));
        DynamoAccountStore accounts = new DynamoAccountStore(store.table());
        // a user waits on every call: interactive, ahead of the sweep in the deployment's shared SnapTrade budget
        SnapTradeSdkGateway snaptrade = SnapTradeSdkGateway.fromConfig(config, clientId -> new DynamoRequestWindows(
                store.table(), clientId, BudgetPlan.DEFAULT_SUB_WINDOW), CallPriority.INTERACTIVE);
        ApiSettings settings = ApiSettings.from(config);
        Api api = new Api(
                new UserService(store.connections(), store.secrets(), accounts, store.sweepQueue(), snaptrade, clock),
                new ReconnectService(store.connections(), store.secrets(), accounts, snaptrade, settings, clock),
                settings.access());
        return new Wired(api, new ApiSnapStart(config, store.table(), snaptrade, settings.keys(), clock));
    }

    /**
     * SnapStart, before the snapshot: a request for a route the priming is not allowed (401, nothing read) through
     * the event translation and the router, then {@link ApiSnapStart#prime} (no write, no one's data).
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    /**
     * SnapStart, after a restore: randomness re-seeded, the secrets expired so the first request reads them again
     * ({@link ApiSnapStart#restore}).
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        if (snapStart != null) {
            snapStart.restore();
        }
    }

    /** The priming's unauthenticated request's status (401), and what {@link ApiSnapStart#prime} did. */
    record Primed(int status, ApiSnapStart.Priming priming) {
    }

    Primed prime() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRouteKey("GET /users/{userId}/connections").withRawPath("/users/snapstart-priming/connections")
                .withRequestContext(RequestContext.builder().withRequestId("snapstart-priming")
                        .withHttp(RequestContext.Http.builder().withMethod("GET").build()).build())
                .build();
        int status = SnapStartPriming.attempt("api", "request", () -> handleRequest(event, null).getStatusCode())
                .orElse(0); // never fails the snapshot
        return new Primed(status, snapStart == null ? null : snapStart.prime());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        RequestContext rc = event.getRequestContext();
        String requestId = rc != null && rc.getRequestId() != null ? rc.getRequestId()
                : context != null ? context.getAwsRequestId() : UUID.randomUUID().toString();
        String method = rc != null && rc.getHttp() != null ? rc.getHttp().getMethod() : null;
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return respond(ApiResponse.error(400, "the body is flagged base64 but is not", Map.of()));
            }
        }
        ApiResponse r = api.handle(new ApiRequest(event.getRouteKey(), method, event.getRawPath(),
                event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(), body,
                caller(rc), requestId, rc == null ? null : rc.getDomainName()));
        return respond(r);
    }

    private static APIGatewayV2HTTPResponse respond(ApiResponse r) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(r.status()).withHeaders(r.headers())
                .withBody(r.body()).build();
    }

    /** What API Gateway's authorizer established: IAM, JWT claims, or nothing (a public route). */
    static Caller caller(RequestContext rc) {
        if (rc == null || rc.getAuthorizer() == null) {
            return Caller.NONE;
        }
        if (rc.getAuthorizer().getJwt() != null) {
            Map<String, String> claims = rc.getAuthorizer().getJwt().getClaims();
            return new Caller(Caller.Kind.JWT, claims == null ? Map.of() : claims);
        }
        if (rc.getAuthorizer().getIam() != null) {
            return new Caller(Caller.Kind.IAM, Map.of());
        }
        return Caller.NONE;
    }
}
