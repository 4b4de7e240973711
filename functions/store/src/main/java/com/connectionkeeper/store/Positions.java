package com.connectionkeeper.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A place in an index, kept between sweep runs: its key values as a JSON array of strings (any text survives).
 * Written and read with jackson-core's streaming API alone, so no function needs jackson-databind for it.
 */
final class Positions {
    private static final JsonFactory JSON = new JsonFactory();

    private Positions() {
    }

    static String encode(String... keyValues) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (String v : keyValues) {
                g.writeString(v);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static List<String> decode(String position) {
        try (JsonParser p = JSON.createParser(position)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("not an index position: " + position);
            }
            List<String> values = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING) {
                    values.add(p.getText());
                } else if (t == JsonToken.VALUE_NULL) {
                    values.add(null);
                } else {
                    throw new IllegalArgumentException("not an index position: " + position);
                }
            }
            return values;
        } catch (IOException e) {
            throw new IllegalArgumentException("not an index position: " + position, e);
        }
    }
}
