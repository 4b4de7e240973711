package com.connectionkeeper.simulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a connection's access token lives, drawn when the connection is added or repaired; immutable. The text
 * form ({@link #parse}, {@link #toString}): {@code none}, {@code fixed(7d)}, {@code uniform(1d,3d)},
 * {@code normal(14d,12h)} (mean, sd; truncated at {@link #MINIMUM}), {@code lognormal(14d,0.5)} (median, sigma),
 * {@code exponential(30d)} (mean); durations as {@code 14d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 1500ms}.
 * Draws are whole milliseconds, at least 1 ms and at most {@link #MAXIMUM}, and depend only on the random generator.
 */
public sealed interface LifetimeDistribution {
    /** Where a normal distribution is truncated: a draw below it is drawn again. */
    Duration MINIMUM = Duration.ofMinutes(1);
    /** The longest lifetime drawn (a longer draw is cut to it). */
    Duration MAXIMUM = Duration.ofDays(36_500);

    /** A lifetime, or empty when the token never expires. */
    Optional<Duration> draw(RandomGenerator random);

    static LifetimeDistribution never() {
        return Never.INSTANCE;
    }

    static LifetimeDistribution fixed(Duration lifetime) {
        return new Fixed(lifetime);
    }

    static LifetimeDistribution uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    static LifetimeDistribution normal(Duration mean, Duration sd) {
        return new Normal(mean, sd);
    }

    static LifetimeDistribution logNormal(Duration median, double sigma) {
        return new LogNormal(median, sigma);
    }

    static LifetimeDistribution exponential(Duration mean) {
        return new Exponential(mean);
    }

    /**
     * The distribution {@code text} writes (names in any case, spaces around arguments allowed), e.g.
     * {@code normal(14d,12h)}; {@link IllegalArgumentException} naming the text and what is wrong with it.
     */
    static LifetimeDistribution parse(String text) {
        Matcher m = Pattern.compile("\\s*([A-Za-z]+)\\s*(?:\\((.*)\\))?\\s*").matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a lifetime distribution: \"" + text
                    + "\" (e.g. fixed(7d), uniform(1d,3d), normal(14d,12h), lognormal(14d,0.5), exponential(30d), none)");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        List<String> args = m.group(2) == null ? List.of()
                : Arrays.stream(m.group(2).split(",", -1)).map(String::strip).toList();
        try {
            return switch (name) {
                case "none" -> {
                    arguments(name, args, 0, "");
                    yield never();
                }
                case "fixed" -> fixed(DurationText.parse(arguments(name, args, 1, "lifetime").get(0)));
                case "uniform" -> uniform(DurationText.parse(arguments(name, args, 2, "min, max").get(0)),
                        DurationText.parse(args.get(1)));
                case "normal" -> normal(DurationText.parse(arguments(name, args, 2, "mean, sd").get(0)),
                        DurationText.parse(args.get(1)));
                case "lognormal" -> logNormal(DurationText.parse(arguments(name, args, 2, "median, sigma").get(0)),
                        number("sigma", args.get(1)));
                case "exponential" -> exponential(DurationText.parse(arguments(name, args, 1, "mean").get(0)));
                default -> throw new IllegalArgumentException("unknown distribution \"" + m.group(1)
                        + "\" (fixed, uniform, normal, lognormal, exponential, none)");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad lifetime distribution \"" + text.strip() + "\": " + e.getMessage(),
                    e);
        }
    }

    private static List<String> arguments(String name, List<String> args, int count, String meaning) {
        if (args.size() != count) {
            throw new IllegalArgumentException(name + " needs " + count + " argument" + (count == 1 ? "" : "s")
                    + (meaning.isEmpty() ? "" : " (" + meaning + ")") + ", got " + args.size());
        }
        return args;
    }

    private static double number(String name, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " \"" + text + "\" is not a number", e);
        }
    }

    private static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero() || value.compareTo(MAXIMUM) > 0) {
            throw new IllegalArgumentException(what + " must be positive and at most " + DurationText.format(MAXIMUM)
                    + ", not " + DurationText.format(value));
        }
        return value;
    }

    /** A drawn number of milliseconds as a lifetime: at least 1 ms, at most {@link #MAXIMUM}. */
    private static Optional<Duration> millis(double millis) {
        double capped = Math.min(Math.max(millis, 1), MAXIMUM.toMillis());
        return Optional.of(Duration.ofMillis(Math.round(capped)));
    }

    /** The token never expires. */
    enum Never implements LifetimeDistribution {
        INSTANCE;

        @Override
        public Optional<Duration> draw(RandomGenerator random) {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /** Always {@code lifetime}. */
    record Fixed(Duration lifetime) implements LifetimeDistribution {
        public Fixed {
            positive("fixed's lifetime", lifetime);
        }

        @Override
        public Optional<Duration> draw(RandomGenerator random) {
            return Optional.of(lifetime);
        }

        @Override
        public String toString() {
            return "fixed(" + DurationText.format(lifetime) + ")";
        }
    }

    /** Any lifetime from {@code min} to {@code max}, equally likely. */
    record Uniform(Duration min, Duration max) implements LifetimeDistribution {
        public Uniform {
            positive("uniform's min", min);
            positive("uniform's max", max);
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("uniform's min " + DurationText.format(min) + " is above its max "
                        + DurationText.format(max));
            }
        }

        @Override
        public Optional<Duration> draw(RandomGenerator random) {
            return millis(min.toMillis() + random.nextDouble() * (max.toMillis() - min.toMillis()));
        }

        @Override
        public String toString() {
            return "uniform(" + DurationText.format(min) + "," + DurationText.format(max) + ")";
        }
    }

    /** Normal with this mean and standard deviation, truncated at {@link #MINIMUM} (a draw below it is redrawn). */
    record Normal(Duration mean, Duration sd) implements LifetimeDistribution {
        /** Redraws before giving up and answering {@link #MINIMUM} (the mean is at least that, so each has p >= 1/2). */
        private static final int ATTEMPTS = 64;

        public Normal {
            positive("normal's mean", mean);
            if (mean.compareTo(MINIMUM) < 0) {
                throw new IllegalArgumentException("normal's mean must be at least " + DurationText.format(MINIMUM)
                        + " (where it is truncated), not " + DurationText.format(mean));
            }
            if (Objects.requireNonNull(sd, "sd").isNegative()) {
                throw new IllegalArgumentException("normal's sd must not be negative");
            }
        }

        @Override
        public Optional<Duration> draw(RandomGenerator random) {
            for (int i = 0; i < ATTEMPTS; i++) {
                double millis = mean.toMillis() + sd.toMillis() * random.nextGaussian();
                if (millis >= MINIMUM.toMillis()) {
                    return millis(millis);
                }
            }
            return Optional.of(MINIMUM);
        }

        @Override
        public String toString() {
            return "normal(" + DurationText.format(mean) + "," + DurationText.format(sd) + ")";
        }
    }

    /** Log-normal: half the lifetimes are below {@code median}; {@code sigma} is the spread of their logarithm. */
    record LogNormal(Duration median, double sigma) implements LifetimeDistribution {
        public LogNormal {
            positive("lognormal's median", median);
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("lognormal's sigma must be a number >= 0, not " + sigma);
            }
        }

        @Override
        public Optional<Duration> draw(RandomGenerator random) {
            return millis(median.toMillis() * Math.exp(sigma * random.nextGaussian()));
        }

        @Override
        public String toString() {
            return "lognormal(" + DurationText.format(median) + "," + sigma + ")";
        }
    }

    /** Exponential with this mean (memoryless: as likely to expire in any hour as in the next). */
    record Exponential(Duration mean) implements LifetimeDistribution {
        public Exponential {
            positive("exponential's mean", mean);
        }

        @Override
        public Optional<Duration> draw(RandomGenerator random) {
            return millis(mean.toMillis() * random.nextExponential());
        }

        @Override
        public String toString() {
            return "exponential(" + DurationText.format(mean) + ")";
        }
    }
}
