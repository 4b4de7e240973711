package com.connectionkeeper.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** One dynalite process (dev/dynalite/launch.js) on a loopback port, with its client and template-shaped tables. */
public final class DynaliteServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TABLE_ACTIVE_TIMEOUT = Duration.ofSeconds(10);
    private static final String PORT_LINE = "DYNALITE_PORT=";
    private static final Set<DynaliteServer> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger TABLE_NUMBER = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(DynaliteServer::stop),
                "dynalite-shutdown"));
    }

    private final Path dataDir;
    private int port;
    private Process process;
    private DynamoDbClient client;

    private DynaliteServer(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts a dynalite that keeps its data in memory, on a free loopback port. */
    public static DynaliteServer startInMemory() {
        DynaliteServer server = new DynaliteServer(null);
        server.start();
        return server;
    }

    /**
     * Starts a dynalite of its own for a failure-injection test, keeping its data on disk in {@code dataDir}, so that
     * {@link #stop()} then {@link #start()} brings it back on the same port with the same tables and items.
     */
    public static DynaliteServer startDedicated(Path dataDir) {
        DynaliteServer server = new DynaliteServer(dataDir.toAbsolutePath());
        server.start();
        return server;
    }

    /** Starts the process: on a free port the first time, on the same port after {@link #stop()}; no-op if running. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        Path dynaliteDir = RepoPaths.dynalite();
        requireInstalled(dynaliteDir);
        List<String> command = new ArrayList<>(List.of("node", "launch.js", "--port", String.valueOf(port)));
        if (dataDir != null) {
            command.addAll(List.of("--path", dataDir.toString()));
        }
        Process started;
        try {
            started = new ProcessBuilder(command).directory(dynaliteDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run `node` (Node.js 20 or later must be on the PATH) to start "
                    + dynaliteDir.resolve("launch.js") + ": " + e.getMessage(), e);
        }
        port = awaitPort(started, command);
        process = started;
        RUNNING.add(this);
    }

    /** Stops the process and waits until it is gone and its port is closed; the data stays when it is on disk. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) {
            throw new IllegalStateException("dynalite (pid " + process.pid() + ") did not stop");
        }
        process = null;
        RUNNING.remove(this);
        if (acceptsConnections()) {
            throw new IllegalStateException("dynalite stopped but port " + port + " still accepts connections");
        }
    }

    /** Stops the process for good and closes the client. */
    @Override
    public synchronized void close() {
        stop();
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Whether the process is up. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The loopback port; the same across {@link #stop()} and {@link #start()}. */
    public synchronized int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, for an SDK endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** This server's client (made once, closed by {@link #close()}); it keeps working across a restart. */
    public synchronized DynamoDbClient client() {
        if (client == null) {
            client = clientBuilder(endpoint()).build();
        }
        return client;
    }

    /** A DynamoDB client builder for {@code endpoint}: url-connection HTTP, us-east-1, dummy static credentials. */
    public static DynamoDbClientBuilder clientBuilder(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    /** Creates a new, empty, ACTIVE table with the schema of template.yaml's only table; returns its unique name. */
    public String createTable() {
        CloudFormationTemplate template = CloudFormationTemplate.load();
        return createTable(template, TableDefinitions.onlyTable(template));
    }

    /** Creates a new, empty, ACTIVE table with the schema of the template's {@code logicalId}; returns its name. */
    public String createTable(CloudFormationTemplate template, String logicalId) {
        String tableName = "test-" + logicalId + "-" + TABLE_NUMBER.incrementAndGet();
        client().createTable(TableDefinitions.createTableRequest(template, logicalId, tableName));
        awaitActive(tableName);
        return tableName;
    }

    private void awaitActive(String tableName) {
        long deadline = System.nanoTime() + TABLE_ACTIVE_TIMEOUT.toNanos();
        while (true) {
            TableDescription table = client().describeTable(request -> request.tableName(tableName)).table();
            boolean indexesActive = table.globalSecondaryIndexes().stream()
                    .allMatch(index -> index.indexStatus() == IndexStatus.ACTIVE);
            if (table.tableStatus() == TableStatus.ACTIVE && indexesActive) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Table " + tableName + " is not ACTIVE after " + TABLE_ACTIVE_TIMEOUT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for table " + tableName, e);
            }
        }
    }

    private static void requireInstalled(Path dynaliteDir) {
        if (!Files.isRegularFile(dynaliteDir.resolve("node_modules/dynalite/package.json"))) {
            throw new IllegalStateException("dynalite is not installed in " + dynaliteDir.resolve("node_modules")
                    + ": run `mvn verify` at the repository root (it installs it) or `npm ci` in " + dynaliteDir);
        }
    }

    /** Reads the process output until the port line; the rest is kept (last lines only) for error messages. */
    private static int awaitPort(Process started, List<String> command) {
        CompletableFuture<Integer> portLine = new CompletableFuture<>();
        Deque<String> output = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(PORT_LINE) && !portLine.isDone()) {
                        portLine.complete(Integer.parseInt(line.substring(PORT_LINE.length()).trim()));
                    } else {
                        synchronized (output) {
                            output.addLast(line);
                            if (output.size() > 50) {
                                output.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                portLine.completeExceptionally(e);
            }
            portLine.completeExceptionally(new IllegalStateException("dynalite exited before it listened"));
        }, "dynalite-output-" + started.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            return portLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.destroyForcibly();
            String lastLines;
            synchronized (output) {
                lastLines = String.join("\n", output);
            }
            throw new IllegalStateException("dynalite did not start (" + String.join(" ", command) + "): "
                    + (e instanceof TimeoutException ? "no port after " + START_TIMEOUT : e.getCause().getMessage())
                    + "\n" + lastLines, e);
        } catch (InterruptedException e) {
            started.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting dynalite", e);
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
