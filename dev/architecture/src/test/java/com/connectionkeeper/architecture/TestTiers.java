package com.connectionkeeper.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every test source below {@code functions/} and {@code dev/} of a repository and finds the test classes of the
 * integration tier: those that reach dynalite ({@code Dynalite}, {@code DynaliteServer}), the SnapTrade simulator
 * ({@code SnapTradeSimulator}, the package {@code com.connectionkeeper.simulator}), a child JVM ({@code ProcessBuilder},
 * {@code Runtime.exec}, testkit's {@code OwnJvm}), a container (Testcontainers) or a built zip
 * ({@code target/….zip}), directly or through a helper class of the same module's test sources that does
 * (LocalWebhook, LocalApi, SimulatorProcess, …). Each must carry {@code @Integration} (or a JUnit or jqwik
 * {@code @Tag("integration")}).
 */
final class TestTiers {
    /** Code that puts a test source in the integration tier by itself (comments and string literals removed first). */
    static final Pattern NEEDS_INFRASTRUCTURE = Pattern.compile(String.join("|",
            "\\bDynalite(Server)?\\b",
            "\\bSnapTradeSimulator\\b",
            "\\bcom\\.connectionkeeper\\.simulator\\b",
            "\\bProcessBuilder\\b",
            "\\bOwnJvm\\b",
            "\\bgetRuntime\\(\\)\\s*\\.\\s*exec\\b",
            "\\borg\\.testcontainers\\b"));

    /** A string literal that names a built zip: the integration tier as well. */
    static final Pattern BUILT_ZIP = Pattern.compile("\"[^\"\\n]*target/[^\"\\n]*\\.zip\"");

    /** A class that JUnit Jupiter or jqwik runs. */
    static final Pattern DECLARES_TESTS = Pattern.compile(
            "@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example|Nested)\\b");

    /** The tier's mark: the meta-annotation, or either engine's tag spelled out. */
    static final Pattern TAGGED = Pattern.compile(
            "@(com\\.connectionkeeper\\.testkit\\.)?Integration\\b"
                    + "|@((org\\.junit\\.jupiter\\.api|net\\.jqwik\\.api)\\.)?Tag\\(\\s*\"integration\"\\s*\\)");

    private static final Pattern COMMENT_OR_LITERAL = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'", Pattern.DOTALL);

    /**
     * One test source and what the scan found in it; {@code identifiers} is its code without comments and string
     * literals.
     */
    record Source(Path file, Path module, String name, String identifiers, boolean declaresTests, boolean tagged,
            boolean needsInfrastructure) {}

    /** The outcome of a scan. */
    record Scan(List<Source> sources, Set<Path> integration, List<String> untagged) {
        long testClasses() {
            return sources.stream().filter(Source::declaresTests).count();
        }

        long integrationTestClasses() {
            return sources.stream().filter(s -> s.declaresTests() && integration.contains(s.file())).count();
        }
    }

    /** Folders that hold no test source of ours (and node_modules is large). */
    private static final Set<String> SKIPPED_FOLDERS = Set.of("node_modules", "target", ".git");

    private TestTiers() {}

    static Scan scan(Path repository) {
        List<Source> sources = new ArrayList<>();
        for (String top : List.of("functions", "dev")) {
            Path dir = repository.resolve(top);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                        String name = folder.getFileName().toString();
                        return SKIPPED_FOLDERS.contains(name) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (file.toString().endsWith(".java") && testRoot(file) != null) {
                            sources.add(read(file));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<Path> integration = new HashSet<>();
        for (Source source : sources) {
            if (source.needsInfrastructure()) {
                integration.add(source.file());
            }
        }
        // a class that names an integration helper of its module's test sources is integration too, to a fixed point
        Map<Path, List<Source>> byModule = new HashMap<>();
        sources.forEach(source -> byModule.computeIfAbsent(source.module(), m -> new ArrayList<>()).add(source));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (List<Source> module : byModule.values()) {
                for (Source source : module) {
                    if (integration.contains(source.file())) {
                        continue;
                    }
                    for (Source helper : module) {
                        if (integration.contains(helper.file())
                                && Pattern.compile("\\b" + helper.name() + "\\b").matcher(source.identifiers()).find()) {
                            integration.add(source.file());
                            grew = true;
                            break;
                        }
                    }
                }
            }
        }
        Set<String> untagged = new TreeSet<>();
        for (Source source : sources) {
            if (source.declaresTests() && integration.contains(source.file()) && !source.tagged()) {
                untagged.add(repository.relativize(source.file()).toString());
            }
        }
        return new Scan(sources, integration, List.copyOf(untagged));
    }

    private static Source read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String code = strip(text, false);
        String identifiers = strip(text, true);
        String name = file.getFileName().toString().replaceFirst("\\.java$", "");
        return new Source(file, testRoot(file), name, identifiers, DECLARES_TESTS.matcher(identifiers).find(),
                TAGGED.matcher(code).find(),
                NEEDS_INFRASTRUCTURE.matcher(identifiers).find() || BUILT_ZIP.matcher(code).find());
    }

    /** The source without its comments, and without its string and character literals if asked. */
    static String strip(String text, boolean literalsToo) {
        Matcher matcher = COMMENT_OR_LITERAL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String found = matcher.group();
            boolean comment = found.startsWith("/");
            matcher.appendReplacement(out, Matcher.quoteReplacement(comment ? " " : literalsToo ? "\"\"" : found));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The {@code src/test/java} folder a file is under, or null. */
    static Path testRoot(Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (dir.endsWith(Path.of("src", "test", "java"))) {
                return dir;
            }
        }
        return null;
    }
}
