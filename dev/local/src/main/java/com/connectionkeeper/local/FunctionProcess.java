package com.connectionkeeper.local;

import com.connectionkeeper.testkit.LambdaZip;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * One function, run as Lambda runs it: its deployment zip unpacked (classes at the root, jars in {@code lib/}), in a
 * JVM of its own with the template's environment, started by Lambda's own Java runtime interface client
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}), which asks this function's
 * {@link RuntimeApi} for invocations. Its output goes to a log file; its error lines also to {@code errors}.
 */
final class FunctionProcess implements AutoCloseable {
    private static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /**
     * Where the runtime client loads its native part from. Without it, every JVM unpacks the library to the one path
     * {@code /tmp/.libaws-lambda-jni.so}, and JVMs starting together overwrite it under each other (a SIGBUS).
     */
    private static final String NATIVE_LIBRARY_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    /** At most this many replacements of a function's JVM within {@link #RESTART_WINDOW}: then it stays down. */
    private static final int MAX_RESTARTS = 3;
    private static final java.time.Duration RESTART_WINDOW = java.time.Duration.ofMinutes(1);
    private final String name;
    private final RuntimeApi runtime;
    private final ProcessBuilder builder;
    private final Path logFile;
    private final Consumer<String> errors;
    private final java.util.Deque<Long> restarts = new java.util.ArrayDeque<>();
    private volatile Process process;
    private volatile boolean closing;

    private FunctionProcess(String name, RuntimeApi runtime, ProcessBuilder builder, Path logFile,
                            Consumer<String> errors) throws IOException {
        this.name = name;
        this.runtime = runtime;
        this.builder = builder;
        this.logFile = logFile;
        this.errors = errors;
        runtime.onTimeout(() -> {
            Process p = process;
            errors.accept(name + ": an invocation ran over its timeout; its JVM is stopped, as Lambda does");
            p.destroyForcibly();
        });
        launch(false);
    }

    /** Starts the JVM and watches it: one that exits while the stack runs is replaced, as Lambda would. */
    private synchronized void launch(boolean append) throws IOException {
        Process p = builder.start();
        process = p;
        Thread pump = new Thread(() -> pump(p.getInputStream(), logFile, append, name, errors), "log-" + name);
        pump.setDaemon(true);
        pump.start();
        p.onExit().thenRun(() -> exited(p));
    }

    private void exited(Process p) {
        if (closing || p != process) {
            return;
        }
        runtime.processGone(name + "'s JVM exited (code " + p.exitValue() + ")");
        long now = System.nanoTime();
        synchronized (restarts) {
            while (!restarts.isEmpty() && now - restarts.peekFirst() > RESTART_WINDOW.toNanos()) {
                restarts.removeFirst();
            }
            if (restarts.size() >= MAX_RESTARTS) {
                errors.accept(name + ": its JVM exited (code " + p.exitValue() + ") " + (MAX_RESTARTS + 1)
                        + " times within a minute; it stays down (see " + logFile + ")");
                return;
            }
            restarts.addLast(now);
        }
        errors.accept(name + ": its JVM exited (code " + p.exitValue() + "); a new one starts, as Lambda would");
        try {
            launch(true);
        } catch (IOException e) {
            errors.accept(name + ": could not start a new JVM: " + e.getMessage());
        }
    }

    /**
     * Unpacks {@code function}'s zip under {@code workDir} and starts it with {@code environment} (the template's,
     * plus the local endpoints) added to what the runtime needs.
     *
     * @param runtimeClasspath the runtime interface client's jars
     */
    static FunctionProcess start(LocalTemplate.Function function, Map<String, String> environment,
                                 List<Path> runtimeClasspath, Path nativeLibrary, Path workDir, Path logFile,
                                 Consumer<String> errors) throws IOException {
        Path code = unpack(function.zip(), workDir.resolve(function.logicalId()));
        RuntimeApi runtime = new RuntimeApi(function.logicalId(), function.timeout());
        List<String> classpath = new ArrayList<>(List.of(code.toString(), code.resolve("lib").resolve("*").toString()));
        runtimeClasspath.forEach(p -> classpath.add(p.toString()));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-D" + NATIVE_LIBRARY_PROPERTY + "=" + nativeLibrary,
                "-cp", String.join(java.io.File.pathSeparator, classpath), RUNTIME_CLIENT,
                function.handler());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        env.putAll(function.environment());
        env.putAll(environment);
        env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("_HANDLER", function.handler());
        env.putIfAbsent("AWS_REGION", "us-east-1");
        env.putIfAbsent("AWS_ACCESS_KEY_ID", "local");
        env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "local");
        Files.createDirectories(logFile.getParent());
        return new FunctionProcess(function.logicalId(), runtime, builder, logFile, errors);
    }

    String name() {
        return name;
    }

    RuntimeApi runtime() {
        return runtime;
    }

    /** Whether its JVM is gone for good (it kept exiting). */
    boolean down() {
        synchronized (restarts) {
            return !process.isAlive() && restarts.size() >= MAX_RESTARTS;
        }
    }

    private static void pump(InputStream in, Path logFile, boolean append, String name, Consumer<String> errors) {
        java.nio.file.OpenOption[] mode = append
                ? new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND}
                : new java.nio.file.OpenOption[0];
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, mode))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                log.println(line);
                log.flush();
                if (line.contains("\"level\":\"ERROR\"") || line.startsWith("Exception") || line.contains("Error:")) {
                    errors.accept(name + ": " + line);
                }
            }
        } catch (IOException e) {
            errors.accept(name + ": its log could not be written: " + e.getMessage());
        }
    }

    /**
     * The runtime client's native library for this machine (glibc or musl, x86_64 or aarch64), unpacked once from
     * its jar into {@code dir}.
     */
    static Path nativeLibrary(List<Path> runtimeClasspath, Path dir) throws IOException {
        Path jar = runtimeClasspath.stream()
                .filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client-"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no runtime interface client jar"));
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        boolean musl;
        try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
            musl = lib.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            musl = false;
        }
        String name = "jni/libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
        Path target = dir.resolve("libaws-lambda-jni.so");
        Files.createDirectories(dir);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new IllegalStateException(jar + " has no " + name);
            }
            Path partial = dir.resolve("libaws-lambda-jni.so.part");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    /** The zip's contents in {@code dir} (replaced when the zip is newer than what is there). */
    private static Path unpack(Path zip, Path dir) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build first (`mvn -B package -DskipTests`)");
        }
        Path stamp = dir.resolve(".unpacked");
        if (Files.exists(stamp) && Files.getLastModifiedTime(stamp).compareTo(Files.getLastModifiedTime(zip)) >= 0) {
            return dir;
        }
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        LambdaZip.unpack(zip, dir);
        Files.writeString(stamp, zip.toString());
        return dir;
    }

    /** Stops the JVM (and waits for it), then the runtime API. */
    @Override
    public void close() {
        closing = true;
        Process process = this.process;
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        runtime.close();
    }
}
