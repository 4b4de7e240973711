package com.connectionkeeper.core.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Structured logging: one JSON object per line on stdout (Lambda ships each line to CloudWatch as one event).
 * Callers pass key/value pairs; only ids, types, results and messages belong here — never a user secret, consumer
 * key, signature or webhookSecret.
 */
public final class JsonLog {
    private static final JsonFactory JSON = new JsonFactory();

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

    /** The line {@link #info} and friends print, without printing it. */
    public static String line(String level, String event, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.now().toString());
            g.writeStringField("level", level);
            g.writeStringField("event", event);
            for (int i = 0; i < keyValues.length; i += 2) {
                Object value = keyValues[i + 1];
                if (value == null) {
                    continue;
                }
                String key = String.valueOf(keyValues[i]);
                if (value instanceof Number n) {
                    g.writeFieldName(key);
                    writeNumber(g, n);
                } else if (value instanceof Boolean b) {
                    g.writeBooleanField(key, b);
                } else {
                    g.writeStringField(key, value.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeNumber(JsonGenerator g, Number n) throws IOException {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            g.writeNumber(n.longValue());
        } else {
            g.writeNumber(n.doubleValue());
        }
    }

    private static void write(String level, String event, Object... keyValues) {
        System.out.println(line(level, event, keyValues));
    }
}
