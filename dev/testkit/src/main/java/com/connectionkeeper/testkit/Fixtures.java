package com.connectionkeeper.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The event fixtures under events/, shared by the tests and `sam local invoke -e`. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The path of {@code events/<name>}; fails when there is no such file. */
    public static Path path(String name) {
        Path events = RepoPaths.events();
        Path file = events.resolve(name).normalize();
        if (!file.startsWith(events) || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No fixture events/" + name + " in " + events);
        }
        return file;
    }

    /** The contents of {@code events/<name>} as UTF-8 text. */
    public static String string(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** The contents of {@code events/<name>}, byte for byte (e.g. for a signature over the raw body). */
    public static byte[] bytes(String name) {
        Path file = path(name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The names of the {@code events/*.json} files, sorted (e.g. for a {@code @MethodSource}). */
    public static List<String> jsonNames() {
        Path events = RepoPaths.events();
        if (!Files.isDirectory(events)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(events)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + events, e);
        }
    }
}
