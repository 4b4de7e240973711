package com.connectionkeeper.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Token lifetimes per brokerage slug, and for every other brokerage {@code otherwise}; immutable. The text form
 * ({@link #parse}, {@link #toString}) is entries {@code SLUG=distribution} separated by {@code ;}, {@code *} naming the
 * default, e.g. {@code ALPACA=normal(14d,12h);QUESTRADE=fixed(7d);*=exponential(30d)} (see
 * {@link LifetimeDistribution}). Without a {@code *} entry, other brokerages' tokens never expire.
 *
 * @param byBrokerage the distribution per upper-case slug, in the order given
 * @param otherwise   the distribution of every other brokerage
 */
public record TokenLifetimes(Map<String, LifetimeDistribution> byBrokerage, LifetimeDistribution otherwise) {
    private static final TokenLifetimes NONE = new TokenLifetimes(Map.of(), LifetimeDistribution.never());
    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final String DEFAULT = "*";

    public TokenLifetimes {
        Map<String, LifetimeDistribution> copy = new LinkedHashMap<>();
        byBrokerage.forEach((slug, distribution) -> copy.put(slug(slug), Objects.requireNonNull(distribution, slug)));
        byBrokerage = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(otherwise, "otherwise");
    }

    /** No token ever expires (the default). */
    public static TokenLifetimes none() {
        return NONE;
    }

    /**
     * The lifetimes {@code text} writes (blank: {@link #none()}); {@link IllegalArgumentException} naming the bad
     * entry and what is wrong with it.
     */
    public static TokenLifetimes parse(String text) {
        TokenLifetimes lifetimes = NONE;
        boolean defaulted = false;
        for (String entry : (text == null ? "" : text).split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            try {
                if (equals < 0) {
                    throw new IllegalArgumentException("expected SLUG=distribution, e.g. ALPACA=normal(14d,12h)");
                }
                String slug = entry.substring(0, equals).strip();
                LifetimeDistribution distribution = LifetimeDistribution.parse(entry.substring(equals + 1));
                if (slug.equals(DEFAULT)) {
                    if (defaulted) {
                        throw new IllegalArgumentException("* twice");
                    }
                    defaulted = true;
                    lifetimes = lifetimes.otherwise(distribution);
                } else if (lifetimes.byBrokerage.containsKey(slug(slug))) {
                    throw new IllegalArgumentException(slug(slug) + " twice");
                } else {
                    lifetimes = lifetimes.with(slug, distribution);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("token lifetimes entry \"" + entry.strip() + "\": " + e.getMessage(),
                        e);
            }
        }
        return lifetimes;
    }

    /** A copy where {@code slug} (any case) has {@code distribution}. */
    public TokenLifetimes with(String slug, LifetimeDistribution distribution) {
        Map<String, LifetimeDistribution> copy = new LinkedHashMap<>(byBrokerage);
        copy.put(slug(slug), distribution);
        return new TokenLifetimes(copy, otherwise);
    }

    /** A copy where every brokerage not named has {@code distribution}. */
    public TokenLifetimes otherwise(LifetimeDistribution distribution) {
        return new TokenLifetimes(byBrokerage, distribution);
    }

    /** The distribution of this brokerage's tokens (slug in any case). */
    public LifetimeDistribution forBrokerage(String slug) {
        return byBrokerage.getOrDefault(slug.toUpperCase(Locale.ROOT), otherwise);
    }

    /** True when some brokerage's tokens can expire. */
    public boolean anyExpire() {
        return otherwise != LifetimeDistribution.never()
                || byBrokerage.values().stream().anyMatch(d -> d != LifetimeDistribution.never());
    }

    /** The text form, {@link #parse} gives it back; {@code *=none} when no token expires. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(";");
        byBrokerage.forEach((slug, distribution) -> text.add(slug + "=" + distribution));
        if (otherwise != LifetimeDistribution.never() || byBrokerage.isEmpty()) {
            text.add(DEFAULT + "=" + otherwise);
        }
        return text.toString();
    }

    private static String slug(String slug) {
        if (slug == null || slug.isBlank()) {
            throw new IllegalArgumentException("a brokerage slug (or *) is needed before '='");
        }
        if (!SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("brokerage slug \"" + slug
                    + "\" may hold only letters, digits, '-', '_' and '.'");
        }
        return slug.toUpperCase(Locale.ROOT);
    }
}
