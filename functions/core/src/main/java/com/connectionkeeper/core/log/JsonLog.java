package com.connectionkeeper.core.log;

import com.connectionkeeper.core.json.JsonText;
import java.time.Instant;

/**
 * Structured logging: one JSON object per line on stdout (Lambda ships each line to CloudWatch as one event).
 * Callers pass key/value pairs; only ids, types, results and messages belong here — never a user secret, consumer
 * key, signature or webhookSecret. Written with {@link JsonText}, so logging loads no JSON library.
 */
public final class JsonLog {
    private JsonLog() {
    }

    public static void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    public static void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public static void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    /**
     * A line that also declares metrics ({@link Emf}): the declaration's dimensions and metrics name members of
     * {@code keyValues} (strings and numbers).
     */
    public static void metrics(String level, String event, Emf.Declaration metrics, Object... keyValues) {
        System.out.println(line(level, event, metrics, keyValues));
    }

    /** The line {@link #info} and friends print, without printing it. */
    public static String line(String level, String event, Object... keyValues) {
        return line(level, event, null, keyValues);
    }

    /** The line {@link #metrics} prints (with {@code metrics} null: the line {@link #info} prints). */
    public static String line(String level, String event, Emf.Declaration metrics, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        StringBuilder out = new StringBuilder(metrics == null ? 128 : 384);
        Instant now = Instant.now();
        out.append("{\"time\":");
        JsonText.string(out, now.toString());
        out.append(",\"level\":");
        JsonText.string(out, level);
        out.append(",\"event\":");
        JsonText.string(out, event);
        for (int i = 0; i < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            if (value == null) {
                continue;
            }
            out.append(',');
            JsonText.string(out, String.valueOf(keyValues[i]));
            out.append(':');
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                JsonText.number(out, ((Number) value).longValue());
            } else if (value instanceof Number n) {
                JsonText.number(out, n.doubleValue());
            } else if (value instanceof Boolean b) {
                out.append(b.booleanValue());
            } else {
                JsonText.string(out, value.toString());
            }
        }
        if (metrics != null) {
            out.append(',');
            metrics.appendTo(out, now.toEpochMilli());
        }
        return out.append('}').toString();
    }

    private static void write(String level, String event, Object... keyValues) {
        System.out.println(line(level, event, keyValues));
    }
}
