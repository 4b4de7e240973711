package com.connectionkeeper.core.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The position of an event in a connection's (or user's) timeline: event time, then the event type's tie
 * precedence, then the webhook id. Encoded as a fixed-width string whose lexicographic order is the timeline order,
 * so DynamoDB can compare watermarks in a condition expression.
 */
public final class Watermark implements Comparable<Watermark> {
    private static final DateTimeFormatter FIXED_WIDTH_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);
    /** Earliest and latest instants whose fixed-width form keeps lexicographic order (four-digit years). */
    public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final String encoded;

    private Watermark(String encoded) {
        this.encoded = encoded;
    }

    public static Watermark of(Instant time, int precedence, String tieBreaker) {
        if (time.isBefore(MIN_TIME) || time.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException("time outside years 0001-9999");
        }
        if (precedence < 0 || precedence > 9) {
            throw new IllegalArgumentException("precedence must be one digit");
        }
        return new Watermark(timeKey(time) + "#" + precedence + "#" + Objects.requireNonNull(tieBreaker));
    }

    public static Watermark parse(String encoded) {
        return new Watermark(Objects.requireNonNull(encoded));
    }

    /** Fixed-width UTC form of an instant: sorts as the instants do. */
    public static String timeKey(Instant time) {
        return FIXED_WIDTH_UTC.format(time);
    }

    public String encoded() {
        return encoded;
    }

    /** The tie-breaker it was made with: the webhook id, or the request or run id of our own writers. */
    public String tieBreaker() {
        int first = encoded.indexOf('#');
        int second = first < 0 ? -1 : encoded.indexOf('#', first + 1);
        return second < 0 ? "" : encoded.substring(second + 1);
    }

    /** The time it was made with (its first part); null when the encoded form does not start with one. */
    public Instant time() {
        int end = encoded.indexOf('#');
        try {
            return Instant.from(FIXED_WIDTH_UTC.parse(end < 0 ? encoded : encoded.substring(0, end)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    public boolean isAfter(Watermark other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Watermark o) {
        return compareCodePoints(encoded, o.encoded);
    }

    /** Code-point order, which is UTF-8 byte order: the order DynamoDB uses to compare strings. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Watermark w && w.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return encoded;
    }
}
