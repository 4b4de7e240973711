package com.connectionkeeper.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a JVM of its own, on this test JVM's classpath, with an environment of nothing but
 * {@code PATH}, {@code HOME} and the variables given: what production code reads from its environment (the SDK's
 * endpoint and credential variables, the function's settings) is then exactly what the test says.
 */
public final class OwnJvm {
    private OwnJvm() {
    }

    /** The child's exit status; it fails the caller when the child runs over a minute. */
    public static int run(Class<?> main, Map<String, String> env) throws IOException, InterruptedException {
        Process p = builder(main, env).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " did not finish within a minute");
        }
        return p.exitValue();
    }

    /** The child, not started: {@code main} on this JVM's classpath, the options given, that environment alone. */
    public static ProcessBuilder builder(Class<?> main, Map<String, String> env, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> childEnv = pb.environment();
        String path = childEnv.getOrDefault("PATH", "/usr/bin:/bin");
        childEnv.clear();
        childEnv.put("PATH", path);
        childEnv.put("HOME", System.getProperty("java.io.tmpdir"));
        childEnv.putAll(env);
        return pb;
    }
}
