package com.connectionkeeper.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The HTTP control API below {@code /control} (unsigned; loopback only): users, connections, faults, the request
 * log, the webhook log, token expiries and the simulated clock, as the module README lists. Errors answer
 * {@code {"error": "…"}}.
 */
final class ControlHandler implements HttpHandler {
    private final SimulatorControl control;
    private final Faults faults;
    private final RequestLog requests;
    private final WebhookLog webhooks;
    private final ExpiryLog expiries;
    private final Clock clock;

    ControlHandler(SimulatorControl control, Faults faults, RequestLog requests, WebhookLog webhooks,
                   ExpiryLog expiries, Clock clock) {
        this.control = control;
        this.faults = faults;
        this.requests = requests;
        this.webhooks = webhooks;
        this.expiries = expiries;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = Json.readOrNull(Exchanges.body(exchange));
            List<String> path = Arrays.stream(exchange.getRequestURI().getRawPath().split("/"))
                    .skip(2).map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
            String query = exchange.getRequestURI().getRawQuery();
            Reply reply;
            try {
                reply = route(exchange.getRequestMethod(), path, query, body == null ? Json.object() : body);
            } catch (NoSuchElementException e) {
                reply = Reply.error(404, e.getMessage());
            } catch (IllegalStateException e) {
                reply = Reply.error(409, e.getMessage());
            } catch (IllegalArgumentException e) {
                reply = Reply.error(400, e.getMessage());
            }
            Exchanges.send(exchange, reply.status(), Exchanges.JSON, Json.write(reply.body()));
        }
    }

    private Reply route(String method, List<String> path, String query, JsonNode body) {
        String route = method + " " + String.join("/", path.stream().map(ControlHandler::shape).toList());
        return switch (route) {
            case "GET users" -> Reply.ok(array(control.users()));
            case "POST users" -> seedUser(required(body, "userId"));
            case "DELETE users/*" -> {
                control.deleteUser(path.get(1));
                yield Reply.ok(Json.object().put("deleted", path.get(1)));
            }
            case "GET users/*/connections" -> Reply.ok(Json.MAPPER.valueToTree(connections(path.get(1))));
            case "POST users/*/connections" -> addConnection(path.get(1), body);
            case "POST connections/*/break", "POST connections/*/fix", "POST connections/*/delete",
                    "DELETE connections/*" -> changeConnection(path.get(1), path.size() > 2 ? path.get(2) : "delete");
            case "GET faults" -> Reply.ok(armedFaults());
            case "POST faults" -> injectFault(body);
            case "DELETE faults" -> clearFaults(query);
            case "GET requests" -> Reply.ok(Json.MAPPER.valueToTree(requests.all()));
            case "DELETE requests" -> {
                requests.clear();
                yield Reply.ok(Json.object());
            }
            case "GET webhooks" -> Reply.ok(Json.MAPPER.valueToTree(webhooks.all()));
            case "DELETE webhooks" -> {
                webhooks.clear();
                yield Reply.ok(Json.object());
            }
            case "GET expiries" -> Reply.ok(Json.MAPPER.valueToTree(expiries.all()));
            case "GET clock" -> Reply.ok(Json.object().put("now", clock.instant().toString())
                    .put("simulated", clock instanceof SimulatedClock));
            case "POST clock/advance" -> advanceClock(body);
            default -> Reply.error(404, "no control route " + route);
        };
    }

    /** A path segment as the route table names it: literal words, {@code *} for ids. */
    private static String shape(String segment) {
        return List.of("users", "connections", "faults", "requests", "webhooks", "break", "fix", "delete", "expiries",
                "clock", "advance").contains(segment) ? segment : "*";
    }

    private Reply seedUser(String userId) {
        String secret = control.seedUser(userId);
        return new Reply(201, Json.object().put("userId", userId).put("userSecret", secret));
    }

    private List<SimulatedConnection> connections(String userId) {
        if (control.userSecret(userId).isEmpty()) {
            throw new NoSuchElementException("no user " + userId);
        }
        return control.connections(userId);
    }

    private Reply addConnection(String userId, JsonNode body) {
        String brokerage = body.path("brokerage").asText("ALPACA");
        String type = body.path("type").asText("read");
        String id = body.hasNonNull("account") ? control.addConnection(userId, brokerage, type, body.get("account").asText())
                : control.addConnection(userId, brokerage, type);
        return new Reply(201, Json.MAPPER.valueToTree(control.connection(id).orElseThrow()));
    }

    private Reply changeConnection(String id, String action) {
        switch (action) {
            case "break" -> control.breakConnection(id);
            case "fix" -> control.fixConnection(id);
            default -> control.deleteConnection(id);
        }
        return Reply.ok(action.equals("delete") ? Json.object().put("deleted", id)
                : Json.MAPPER.valueToTree(control.connection(id).orElseThrow()));
    }

    /**
     * {@code {"to": "<ISO instant>"}} or {@code {"by": "8d"}}: advances the simulated clock, running the expiries due;
     * answers {@code {"now", "expired"}}. 409 on any other clock.
     */
    private Reply advanceClock(JsonNode body) {
        if (!(clock instanceof SimulatedClock simulated)) {
            throw new IllegalStateException("the simulator runs on " + clock
                    + ", not a SimulatedClock: start it with one (--simulated-clock) to advance time");
        }
        boolean to = body.hasNonNull("to");
        if (to == body.hasNonNull("by")) {
            throw new IllegalArgumentException("give either \"to\" (an ISO instant) or \"by\" (e.g. \"8d\"), not both");
        }
        int expired;
        if (to) {
            String text = body.get("to").asText();
            try {
                expired = simulated.advanceTo(Instant.parse(text));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"to\" must be an ISO instant, not \"" + text + "\"", e);
            }
        } else {
            expired = simulated.advance(DurationText.parse(body.get("by").asText()));
        }
        return Reply.ok(Json.object().put("now", simulated.instant().toString()).put("expired", expired));
    }

    private ObjectNode armedFaults() {
        ObjectNode node = Json.object();
        for (Endpoint endpoint : Endpoint.values()) {
            List<Fault> armed = faults.armed(endpoint);
            if (!armed.isEmpty()) {
                node.set(endpoint.name(), array(armed.stream().map(Fault::toString).toList()));
            }
        }
        return node;
    }

    /** {@code {"endpoint", "kind", "status"?, "code"?, "delayMillis"?, "times"?, "fraction"?}}. */
    private Reply injectFault(JsonNode body) {
        Endpoint endpoint = Endpoint.valueOf(required(body, "endpoint").toUpperCase(Locale.ROOT));
        Duration delay = Duration.ofMillis(body.path("delayMillis").asLong(1000));
        Fault fault = switch (Fault.Kind.valueOf(required(body, "kind").toUpperCase(Locale.ROOT))) {
            case LATENCY -> Fault.latency(delay);
            case SERVER_ERROR -> Fault.serverError(body.path("status").asInt(500));
            case TIMEOUT -> Fault.timeout(delay);
            case LOST_ANSWER -> Fault.lostAnswer(delay);
            case MALFORMED_JSON -> Fault.malformedJson();
            case WRONG_SHAPE -> Fault.wrongShape();
            case RATE_LIMITED -> Fault.rateLimited(delay);
            case FOREIGN_ERROR -> Fault.foreignError(body.path("status").asInt(404));
            case SNAPTRADE_ERROR -> Fault.snapTradeError(body.path("status").asInt(400),
                    body.path("code").asText("1000"));
        };
        if (body.hasNonNull("times")) {
            fault = fault.times(body.get("times").asInt());
        } else if (body.hasNonNull("fraction")) {
            fault = fault.fraction(body.get("fraction").asDouble());
        }
        faults.inject(endpoint, fault);
        return new Reply(201, armedFaults());
    }

    private Reply clearFaults(String query) {
        String endpoint = QueryString.parse(query).get("endpoint");
        if (endpoint == null) {
            faults.clearAll();
        } else {
            faults.clear(Endpoint.valueOf(endpoint.toUpperCase(Locale.ROOT)));
        }
        return Reply.ok(armedFaults());
    }

    private static String required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" (a string) is required");
        }
        return value.asText();
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** A control answer. */
    private record Reply(int status, JsonNode body) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }

        static Reply error(int status, String message) {
            return new Reply(status, Json.object().put("error", message));
        }
    }
}
