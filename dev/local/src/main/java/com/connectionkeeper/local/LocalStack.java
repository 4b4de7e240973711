package com.connectionkeeper.local;

import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.testkit.AwsCalls;
import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.connectionkeeper.testkit.LoopbackKms;
import com.connectionkeeper.testkit.LoopbackSecretsManager;
import com.connectionkeeper.testkit.StreamFilter;
import com.connectionkeeper.testkit.TableDefinitions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whole system on one machine, no Docker, no AWS, no SnapTrade account ({@code ./keeper local}): dynalite with the
 * template's table, the SnapTrade simulator, every function of {@code template.yaml} in a JVM of its own under
 * Lambda's runtime client, a local HTTP API serving the template's routes, the table's stream (through
 * {@link StreamProxy}) feeding the lifecycle function, a local EventBridge bus whose events are printed, and the
 * sweep and reminder schedules. Ctrl-C stops it all.
 */
public final class LocalStack implements AutoCloseable {
    static final String CONSUMER_KEY = "local-snaptrade-consumer-key";
    static final String CLIENT_ID = "CK-LOCAL";
    static final String STATE_KEY = "local-reconnect-state-key-not-a-secret-0123456789";
    static final String AUDIENCE = "connection-keeper-local";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalOptions options;
    private final PrintStream out;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, FunctionProcess> functions = new LinkedHashMap<>();
    private ScheduledExecutorService schedules;
    private Gateway gateway;
    private SnapTradeSimulator simulator;
    private LoopbackEventBridge bus;
    private LoopbackKms kms;
    private LoopbackSecretsManager secretsManager;
    /** Every AWS call the functions made (each signs with its own access key id: its logical id). */
    private final AwsCalls calls = new AwsCalls();
    private StreamFeeder feeder;
    private String tableName;
    /** Local names (table, bus, secret ARN, key ARN) to the template's logical ids. */
    private Map<String, String> resourceNames = Map.of();
    private Duration readyAfter;
    private Path logs;

    private final Map<String, String> env;
    private SnapTradeGuard guard;

    /** @param env the launcher's environment: real SnapTrade when both of its variables are set */
    LocalStack(LocalOptions options, PrintStream out, Map<String, String> env) {
        this.options = options;
        this.out = out;
        this.env = Map.copyOf(env);
    }

    /** Real SnapTrade's client id, when both {@code SNAPTRADE_CLIENT_ID} and {@code SNAPTRADE_CONSUMER_KEY} are set. */
    static java.util.Optional<String> realClient(Map<String, String> env, boolean demo) {
        String id = env.getOrDefault("SNAPTRADE_CLIENT_ID", "").trim();
        String key = env.getOrDefault("SNAPTRADE_CONSUMER_KEY", "").trim();
        if (id.isEmpty() && key.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (id.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("set both SNAPTRADE_CLIENT_ID and SNAPTRADE_CONSUMER_KEY to use real "
                    + "SnapTrade, or neither for the simulator");
        }
        if (demo) {
            throw new IllegalArgumentException("--demo plays the story at the simulator (it breaks connections there); "
                    + "it is not run against real SnapTrade");
        }
        return java.util.Optional.of(id);
    }

    public static void main(String[] args) {
        LocalOptions options;
        try {
            options = LocalOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("keeper local: " + e.getMessage());
            System.err.println(LocalOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LocalOptions.USAGE);
            return;
        }
        try {
            realClient(System.getenv(), options.demo());
        } catch (IllegalArgumentException e) {
            System.err.println("keeper local: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            System.err.println("keeper local: runs on Linux only — each function runs under Lambda's own runtime "
                    + "client, whose native library exists for Linux (glibc or musl, x86_64 or aarch64). On macOS "
                    + "or Windows, run it in a Linux VM or container.");
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(options, System.out, System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println();
            System.out.println("stopping…");
            stack.close();
            System.out.println("stopped");
            stopped.countDown();
        }, "keeper-stop"));
        try {
            stack.start();
        } catch (PortBusyException e) {
            System.err.println("keeper local: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Exception e) {
            System.err.println("keeper local: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (options.demo()) {
            boolean ok = stack.demo().play();
            if (options.exitAfterDemo()) {
                System.exit(ok ? 0 : 1);
            }
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything; prints the URLs and the walkthrough when ready. */
    void start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path root = options.root();
        // one folder per port: two stacks of one checkout (different ports) never share functions or logs
        Path work = root.resolve("dev/local/target/run/" + options.port());
        Files.createDirectories(work);
        // the ports a person uses first, so a busy one is said before anything starts
        HttpServer gatewayServer = bindOrExplain(options.port(), "the local API (--port)");
        HttpServer proxyServer = StreamProxy.bind(0);

        DynaliteServer dynalite = DynaliteServer.startInMemory();
        started.add(dynalite);
        CloudFormationTemplate cfn = CloudFormationTemplate.load(root.resolve("template.yaml"));
        String tableId = TableDefinitions.onlyTable(cfn);
        tableName = dynalite.createTable(cfn, tableId);

        bus = new LoopbackEventBridge(0);
        started.add(bus);
        bus.onAccepted(this::printEvent);
        bus.recordInto(calls);
        // KMS and Secrets Manager stand-ins: the functions seal users' secrets and read the client's credentials
        // through the same SDK clients as in AWS
        kms = new LoopbackKms();
        started.add(kms);
        kms.recordInto(calls);
        String keyArn = kms.createKey();
        secretsManager = new LoopbackSecretsManager();
        started.add(secretsManager);
        secretsManager.recordInto(calls);

        String api = "http://127.0.0.1:" + gatewayServer.getAddress().getPort();
        java.util.Optional<String> real = realClient(env, options.demo());
        String snaptradeBaseUrl;
        if (real.isPresent()) {
            URI upstream = URI.create(env.getOrDefault("SNAPTRADE_BASE_URL", "https://api.snaptrade.com/api/v1"));
            guard = new SnapTradeGuard(URI.create(upstream.getScheme() + "://" + upstream.getRawAuthority()),
                    line -> out.println("  ! " + line));
            started.add(guard);
            snaptradeBaseUrl = guard.baseUrl();
        } else {
            try {
                simulator = SnapTradeSimulator.start(SimulatorConfig.builder(CLIENT_ID, CONSUMER_KEY)
                        .port(options.simulatorPort())
                        .webhookUrl(URI.create(api + "/webhooks/snaptrade"))
                        .webhookFirstRetry(Duration.ofSeconds(30))
                        // SnapTrade's webhooks come a moment after the event: a portal return is usually first
                        .webhookDelay(Duration.ofMillis(1500))
                        .build());
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).contains("cannot listen")) {
                    throw new PortBusyException("port " + options.simulatorPort() + " is in use, so the SnapTrade "
                            + "simulator (--simulator-port) cannot listen there. Stop what uses it, or pick another "
                            + "port (see --help).");
                }
                throw e;
            }
            started.add(simulator);
            snaptradeBaseUrl = simulator.baseUrl();
        }

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("SnapTradeConsumerKey", real.isPresent() ? env.get("SNAPTRADE_CONSUMER_KEY").trim()
                : CONSUMER_KEY);
        overrides.put("SnapTradeClientId", real.orElse(CLIENT_ID));
        overrides.put("ReconnectStateKey", STATE_KEY);
        overrides.put("JwtIssuer", api + "/local-identity");
        overrides.put("JwtAudience", AUDIENCE);
        overrides.put("ReturnUrlAllowList", api + Demo.APP_PATH);
        overrides.put("ReturnLandingUrl", api + "/reconnect/return");
        ObjectNode credentials = JSON.createObjectNode()
                .put("SNAPTRADE_CLIENT_ID", overrides.get("SnapTradeClientId"))
                .put("SNAPTRADE_CONSUMER_KEY", overrides.get("SnapTradeConsumerKey"))
                .put("RECONNECT_STATE_KEY", overrides.get("ReconnectStateKey"));
        String secretArn = secretsManager.put("connection-keeper-local/credentials", credentials.toString());
        Map<String, String> standIns = Map.of(tableId, tableName, "LifecycleBus", "connection-keeper-local-lifecycle",
                "CredentialsSecret", secretArn, "KeeperKey.Arn", keyArn);
        LocalTemplate template = new LocalTemplate(root, cfn, overrides, standIns);
        // the same stand-ins the other way round: a local name to its logical id (Fn::GetAtt's attribute dropped)
        Map<String, String> names = new LinkedHashMap<>();
        standIns.forEach((id, local) -> names.put(local, id.replaceFirst("\\.\\w+$", "")));
        resourceNames = Map.copyOf(names);

        StreamProxy proxy = new StreamProxy(proxyServer, dynalite.endpoint(), List.of("pk", "sk"), record -> {
            if (feeder != null) {
                feeder.accept(record);
            }
        });
        started.add(proxy);

        Map<String, String> local = new LinkedHashMap<>();
        local.put("DYNAMODB_ENDPOINT", proxy.endpoint().toString());
        local.put("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
        local.put("AWS_ENDPOINT_URL_EVENTBRIDGE", bus.endpoint().toString());
        local.put("AWS_ENDPOINT_URL_KMS", kms.endpoint().toString());
        local.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString());
        local.put("SNAPTRADE_BASE_URL", snaptradeBaseUrl);
        local.put("AWS_REGION", "us-east-1");
        List<Path> runtime = runtimeClasspath();
        Path nativeLibrary = FunctionProcess.nativeLibrary(runtime, work.resolve("jni"));
        logs = work.resolve("logs");
        proxy.recordInto(calls);
        Set<String> routed = new HashSet<>();
        template.routes().forEach(r -> routed.add(r.function()));
        for (LocalTemplate.Function f : template.functions()) {
            if (!routed.contains(f.logicalId())
                    && !cfn.resource(f.logicalId()).path("Properties").has("Events")) {
                continue; // invoked by hand in AWS (the secret migration): nothing here would invoke it
            }
            Map<String, String> own = new LinkedHashMap<>(local);
            own.put("AWS_ACCESS_KEY_ID", f.logicalId()); // so each AWS call says which function made it
            FunctionProcess p = FunctionProcess.start(f, own, runtime, nativeLibrary, work.resolve("functions"),
                    logs.resolve(f.logicalId() + ".log"), line -> out.println("  ! " + line));
            functions.put(f.logicalId(), p);
            started.add(p);
        }
        feeder = new StreamFeeder(StreamFilter.of(template.template(), "LifecycleFunction", "TableStream"),
                functions.get("LifecycleFunction").runtime(), line -> out.println("  ! " + line));
        started.add(feeder);
        gateway = new Gateway(gatewayServer, template.routes(), id -> functions.get(id).runtime(), AUDIENCE);
        if (guard != null) {
            SnapTradeGuard g = guard;
            gateway.hooks(new Gateway.Hooks() {
                @Override
                public void before(LocalTemplate.Route route, Map<String, String> parameters, String identity) {
                    // only a deletion the API will do: the user's own identity (another's gets the API's 403)
                    if (route.routeKey().equals("DELETE /users/{userId}")
                            && parameters.get("userId").equals(identity)) {
                        g.deletionAsked(parameters.get("userId"));
                    }
                }

                @Override
                public void after(LocalTemplate.Route route, Map<String, String> parameters) {
                    if (route.routeKey().equals("DELETE /users/{userId}")) {
                        g.deletionDone(parameters.get("userId"));
                    }
                }
            });
        }
        gateway.localJson("/_local/aws-calls", this::awsCallsJson);
        started.add(gateway);
        gateway.start();

        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (FunctionProcess p : functions.values()) {
            while (!p.runtime().awaitFirstPoll(Duration.ofMillis(250))) {
                if (p.down() || System.nanoTime() > until) {
                    throw new IllegalStateException(p.name() + " did not start (see " + logs.resolve(p.name()
                            + ".log") + ")");
                }
            }
        }
        schedules = Executors.newScheduledThreadPool(2, LocalHttp.daemons("schedule"));
        schedule("SweepFunction", options.sweepEvery());
        schedule("ReminderFunction", options.remindersEvery());
        readyAfter = Duration.ofNanos(System.nanoTime() - t0);
        printBanner(template, logs);
    }

    /**
     * The AWS calls the functions made so far, per function, as {@code "action resource"} in the template's names
     * (e.g. {@code "dynamodb:Query ConnectionsTable/index/ByRetry"}); a resource the stack does not know by name keeps
     * its local name. LocalStackIT checks them against each function's role.
     */
    private String awsCallsJson() {
        ObjectNode out = JSON.createObjectNode();
        for (AwsCalls.Call call : calls.all()) {
            String resource = call.resource();
            int index = resource.indexOf("/index/");
            String base = index < 0 ? resource : resource.substring(0, index);
            String named = resourceNames.getOrDefault(base, base) + (index < 0 ? "" : resource.substring(index));
            ArrayNode list = out.has(call.principal()) ? (ArrayNode) out.get(call.principal())
                    : out.putArray(call.principal());
            list.add(call.action() + " " + named);
        }
        return out.toString();
    }

    private void schedule(String function, Duration every) {
        schedules.scheduleWithFixedDelay(() -> {
            try {
                RuntimeApi.Answer a = functions.get(function).runtime().invoke(scheduledEvent(function));
                if (a.error()) {
                    out.println("  ! " + function + " failed: " + a.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                out.println("  ! " + function + ": " + e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The EventBridge Scheduler's event, as Lambda hands it to a scheduled function. */
    static String scheduledEvent(String function) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", "Scheduled Event");
        e.put("source", "aws.events");
        e.put("account", "000000000000");
        e.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        e.put("region", "us-east-1");
        e.putArray("resources").add("arn:aws:events:us-east-1:000000000000:rule/local-" + function);
        e.putObject("detail");
        return e.toString();
    }

    private void printEvent(LoopbackEventBridge.Entry e) {
        JsonNode data = e.detail().path("data");
        StringBuilder line = new StringBuilder("  event  ").append(e.detailType());
        for (String field : new String[] {"userId", "connectionId", "cause", "step", "endReason"}) {
            if (data.hasNonNull(field)) {
                line.append("  ").append(field).append('=').append(data.get(field).asText());
            }
        }
        if (data.path("brokerage").hasNonNull("slug")) {
            line.append("  brokerage=").append(data.path("brokerage").path("slug").asText());
        }
        line.append("  id=").append(e.detail().path("id").asText());
        out.println(line);
    }

    private void printBanner(LocalTemplate template, Path logs) {
        String api = apiUrl();
        out.println();
        out.println("Connection Keeper is running locally (ready in " + readyAfter.toMillis() / 100 / 10.0 + " s).");
        out.println();
        out.println("  API            " + api + "   (management routes need the header 'x-local-user: <userId>')");
        out.println("  landing        " + api + "/reconnect/return");
        if (simulator == null) {
            out.println("  webhook        " + api + "/webhooks/snaptrade   (SnapTrade cannot reach localhost: its "
                    + "webhooks go to your deployed URL; here the sweep finds changes)");
            out.println();
            out.println("  ***************************************************************************************");
            out.println("  *  REAL SnapTrade: client " + template.parameter("SnapTradeClientId").orElse("?")
                    + ", every call goes to " + env.getOrDefault("SNAPTRADE_BASE_URL", "https://api.snaptrade.com")
                    + " (its rate limit and users are real).");
            out.println("  *  The local stack never disables a connection there, and deletes a SnapTrade user only");
            out.println("  *  when you call DELETE /users/{userId} (refused calls are printed).");
            out.println("  ***************************************************************************************");
        } else {
            String sim = simulatorUrl();
            out.println("  webhook        " + api + "/webhooks/snaptrade   (the simulator posts here, signed with "
                    + CONSUMER_KEY + ")");
            out.println("  simulator      " + sim + "   (SnapTrade stand-in, client " + CLIENT_ID + ")");
            out.println("  portal         " + sim + "/portal/…   (reconnect links open it)");
            out.println("  control API    " + sim + "/control/users");
        }
        out.println("  table          " + tableName + " (dynalite, in memory)   function logs: " + logs);
        out.println("  sweep every " + options.sweepEvery().toSeconds() + " s, reminders every "
                + options.remindersEvery().toSeconds() + " s; routes: " + template.routes().size());
        out.println();
        out.println("Walkthrough (copy, paste; events print below as they are published):");
        out.println("  curl -s -X POST " + api + "/users -H 'x-local-user: alice' -H 'content-type: application/json'"
                + " -d '{\"userId\":\"alice\"}'");
        if (simulator != null) {
            String sim = simulatorUrl();
            out.println("  curl -s -X POST " + sim + "/control/users/alice/connections -H 'content-type: "
                    + "application/json' -d '{\"brokerage\":\"ALPACA\",\"type\":\"trade\"}'   # its webhook "
                    + "reaches us: Connection Added");
            out.println("  curl -s -X POST " + sim + "/control/connections/<connectionId>/break   # SnapTrade's "
                    + "webhook reaches us: Connection Broken");
        } else {
            out.println("  (connect a brokerage for alice through SnapTrade's portal; the sweep finds it within "
                    + options.sweepEvery().toSeconds() + " s)");
        }
        out.println("  curl -s " + api + "/users/alice/connections -H 'x-local-user: alice'   # needsReconnect: true");
        out.println("  curl -s -X POST " + api + "/users/alice/connections/<connectionId>/reconnect-link"
                + " -H 'x-local-user: alice' -H 'content-type: application/json' -d '{\"redirectUrl\":\"" + api
                + Demo.APP_PATH + "\"}'   # open redirectURI in a browser");
        out.println();
        out.println("Ctrl-C stops everything.");
        out.flush();
    }

    /** The demo story, against this stack. */
    Demo demo() {
        return new Demo(apiUrl(), simulatorUrl(), bus::accepted, logs.resolve("WebhookFunction.log"), out);
    }

    String apiUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    String simulatorUrl() {
        return simulator.baseUrl().replaceFirst("/api/v1$", "");
    }

    /** Stops everything, newest first; safe to call twice. */
    @Override
    public synchronized void close() {
        if (schedules != null) {
            schedules.shutdownNow();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.println("  ! while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }

    private static HttpServer bindOrExplain(int port, String what) throws IOException {
        try {
            return Gateway.bind(port);
        } catch (BindException e) {
            throw new PortBusyException("port " + port + " is in use, so " + what + " cannot listen there. Stop "
                    + "what uses it, or pick another port (see --help).");
        }
    }

    /** Lambda's Java runtime interface client and what it needs, from this JVM's class path. */
    private static List<Path> runtimeClasspath() {
        List<Path> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("aws-lambda-java-runtime-interface-client-")
                    || name.startsWith("aws-lambda-java-serialization-") || name.startsWith("utils-lite-")) {
                out.add(Path.of(entry));
            }
        }
        if (out.size() < 3) {
            throw new IllegalStateException("Lambda's runtime interface client is not on the class path: " + out);
        }
        return out;
    }

    /** A port someone else holds: said plainly, no stack trace. */
    static final class PortBusyException extends IllegalStateException {
        PortBusyException(String message) {
            super(message);
        }
    }


}
