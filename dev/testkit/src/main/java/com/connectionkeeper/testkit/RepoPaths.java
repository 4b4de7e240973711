package com.connectionkeeper.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Where the repository's own files (template.yaml, events/, dev/dynalite, dev/cfn-spec) and the sibling shared/ folder
 * are.
 */
public final class RepoPaths {

    private static final String TEMPLATE = "template.yaml";

    private RepoPaths() {
    }

    /**
     * The repository root: the folder holding template.yaml, found upward from the system property {@code ck.root}
     * (set by surefire from the root pom) or else from the working directory.
     */
    public static Path root() {
        return Stream.of(System.getProperty("ck.root"), System.getProperty("user.dir"))
                .filter(start -> start != null && !start.isBlank())
                .map(start -> findUpward(Path.of(start).toAbsolutePath().normalize()))
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + TEMPLATE + " above ck.root="
                        + System.getProperty("ck.root") + " or user.dir=" + System.getProperty("user.dir")));
    }

    /** The SAM template, {@code <root>/template.yaml}. */
    public static Path template() {
        return root().resolve(TEMPLATE);
    }

    /** The event fixtures folder, {@code <root>/events}. */
    public static Path events() {
        return root().resolve("events");
    }

    /** The dynalite launcher's folder, {@code <root>/dev/dynalite}. */
    public static Path dynalite() {
        return root().resolve("dev").resolve("dynalite");
    }

    /**
     * The folder of the pinned CloudFormation registry schemas, {@code <root>/dev/cfn-spec} (npm's
     * {@code @aws-cdk/aws-service-spec}, installed under its node_modules by {@code npm ci}).
     */
    public static Path cfnSpec() {
        return root().resolve("dev").resolve("cfn-spec");
    }

    /** The {@code shared} folder beside the repository, when this machine has one. */
    public static Optional<Path> shared() {
        Path parent = root().getParent();
        return parent == null ? Optional.empty() : Optional.of(parent.resolve("shared")).filter(Files::isDirectory);
    }

    /** A file under the shared folder; skips the calling test (JUnit assumption) when it is not on this machine. */
    public static Path assumeShared(String relativePath) {
        Optional<Path> file = shared().map(dir -> dir.resolve(relativePath)).filter(Files::isRegularFile);
        Assumptions.assumeTrue(file.isPresent(), () -> "shared/" + relativePath
                + " is not on this machine (expected beside the repository at " + root().resolveSibling("shared") + ")");
        return file.orElseThrow();
    }

    private static Optional<Path> findUpward(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(TEMPLATE))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
