package com.connectionkeeper.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the simulator's configuration writes them: whole numbers with a unit, {@code 14d}, {@code 12h},
 * {@code 30m}, {@code 45s}, {@code 1500ms}, {@code 10ns}, or several in a row ({@code 1d12h}).
 */
final class DurationText {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|ns|d|h|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|ns|d|h|m|s)");
    /** Units from the largest; {@link #format} uses the largest that divides the duration. */
    private static final List<Unit> UNITS = List.of(new Unit("d", Duration.ofDays(1)), new Unit("h", Duration.ofHours(1)),
            new Unit("m", Duration.ofMinutes(1)), new Unit("s", Duration.ofSeconds(1)),
            new Unit("ms", Duration.ofMillis(1)), new Unit("ns", Duration.ofNanos(1)));

    private DurationText() {
    }

    /** The duration {@code text} writes; {@link IllegalArgumentException} naming it when it is not one. */
    static Duration parse(String text) {
        String trimmed = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("not a duration: \"" + text + "\" (e.g. 14d, 12h, 30m, 45s, 1500ms)");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(trimmed);
        try {
            while (part.find()) {
                Duration unit = UNITS.stream().filter(u -> u.name().equals(part.group(2))).findFirst().orElseThrow()
                        .length();
                total = total.plus(unit.multipliedBy(Long.parseLong(part.group(1))));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration too long: \"" + text + "\"", e);
        }
        return total;
    }

    /** {@code duration} in the largest unit that writes it exactly, e.g. {@code 36h}; zero is {@code 0s}. */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        for (Unit unit : UNITS) {
            Duration length = unit.length();
            boolean exact = length.getSeconds() > 0
                    ? duration.getNano() == 0 && duration.getSeconds() % length.getSeconds() == 0
                    : duration.getNano() % length.getNano() == 0;
            if (exact) {
                long count = length.getSeconds() > 0 ? duration.getSeconds() / length.getSeconds()
                        : duration.dividedBy(length);
                return count + unit.name();
            }
        }
        throw new IllegalStateException("every duration is a whole number of nanoseconds");
    }

    /** A unit's name and length. */
    private record Unit(String name, Duration length) {
    }
}
