package com.connectionkeeper.core.reminders;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a broken connection's reminders are due: step {@code k} (1-based) at {@code brokenSince + offset(k)}. Written
 * as offsets after the break, e.g. {@code 1d,3d,7d,14d,+14d}: the first four steps at those offsets, then (the
 * {@code +} item) one every 14 days after the last, up to {@code maxSteps} reminders in all. Units: {@code d} days,
 * {@code h} hours, {@code m} minutes. Offsets must increase.
 */
public final class ReminderCadence {
    private final List<Duration> offsets;
    private final Duration repeat;
    private final int maxSteps;

    public ReminderCadence(List<Duration> offsets, Duration repeat, int maxSteps) {
        if (offsets.isEmpty()) {
            throw new IllegalArgumentException("a cadence needs at least one offset");
        }
        Duration previous = Duration.ZERO;
        for (Duration d : offsets) {
            if (d.compareTo(previous) <= 0) {
                throw new IllegalArgumentException("offsets must be positive and increasing: " + offsets);
            }
            previous = d;
        }
        if (repeat != null && (repeat.isZero() || repeat.isNegative())) {
            throw new IllegalArgumentException("the repeat must be positive");
        }
        if (maxSteps < 1 || maxSteps > 100) {
            throw new IllegalArgumentException("at most 1 to 100 reminders, not " + maxSteps);
        }
        this.offsets = List.copyOf(offsets);
        this.repeat = repeat;
        this.maxSteps = repeat == null ? Math.min(maxSteps, offsets.size()) : maxSteps;
    }

    /** Parses {@code 1d,3d,7d,14d,+14d}; a bad text is an IllegalArgumentException that quotes it. */
    public static ReminderCadence parse(String text, int maxSteps) {
        List<Duration> offsets = new ArrayList<>();
        Duration repeat = null;
        String[] items = text.trim().split("\\s*,\\s*");
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            boolean repeating = item.startsWith("+");
            if (repeating && i != items.length - 1) {
                throw new IllegalArgumentException("only the last item of a cadence may repeat (+): " + text);
            }
            Duration d = duration(repeating ? item.substring(1) : item, text);
            if (repeating) {
                repeat = d;
            } else {
                offsets.add(d);
            }
        }
        try {
            return new ReminderCadence(offsets, repeat, maxSteps);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (cadence \"" + text + "\")", e);
        }
    }

    private static Duration duration(String item, String text) {
        if (item.length() < 2) {
            throw new IllegalArgumentException("not a cadence item: \"" + item + "\" in \"" + text + "\"");
        }
        long amount;
        try {
            amount = Long.parseLong(item.substring(0, item.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a cadence item: \"" + item + "\" in \"" + text + "\"", e);
        }
        if (amount <= 0 || amount > 3650L * 24 * 60) {
            throw new IllegalArgumentException("out of range: \"" + item + "\" in \"" + text + "\"");
        }
        return switch (item.substring(item.length() - 1).toLowerCase(Locale.ROOT)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("unit must be d, h or m: \"" + item + "\" in \"" + text
                    + "\"");
        };
    }

    /** How many reminders a break gets at most. */
    public int maxSteps() {
        return maxSteps;
    }

    /** Step {@code step}'s offset after the break. */
    public Duration offset(int step) {
        if (step < 1 || step > maxSteps) {
            throw new IllegalArgumentException("no step " + step + " (1 to " + maxSteps + ")");
        }
        if (step <= offsets.size()) {
            return offsets.get(step - 1);
        }
        return offsets.get(offsets.size() - 1).plus(repeat.multipliedBy(step - offsets.size()));
    }

    /** When step {@code step} is due for a connection broken since {@code brokenSince}. */
    public Instant dueAt(Instant brokenSince, int step) {
        return brokenSince.plus(offset(step));
    }

    /** The last step due at {@code now} for a break at {@code brokenSince}; 0 when none is due yet. */
    public int dueStep(Instant brokenSince, Instant now) {
        int due = 0;
        for (int step = 1; step <= maxSteps && !dueAt(brokenSince, step).isAfter(now); step++) {
            due = step;
        }
        return due;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Duration d : offsets) {
            out.append(out.length() == 0 ? "" : ",").append(d);
        }
        return out + (repeat == null ? "" : ",+" + repeat) + " (at most " + maxSteps + ")";
    }
}
