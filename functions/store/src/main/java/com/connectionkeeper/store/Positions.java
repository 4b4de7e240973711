package com.connectionkeeper.store;

import com.connectionkeeper.core.json.JsonReader;
import com.connectionkeeper.core.json.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A place in an index, kept between sweep runs: its key values as a JSON array of strings (any text survives).
 * Written and read with core's JSON text and reader, so the store carries no JSON library.
 */
final class Positions {
    private Positions() {
    }

    static String encode(String... keyValues) {
        StringBuilder out = new StringBuilder(64).append('[');
        for (int i = 0; i < keyValues.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (keyValues[i] == null) {
                out.append("null");
            } else {
                JsonText.string(out, keyValues[i]);
            }
        }
        return out.append(']').toString();
    }

    /** The position of an index item, or of a page's LastEvaluatedKey: its index sort key and its table key. */
    static String of(Map<String, AttributeValue> item, String rangeAttribute) {
        return encode(item.get(rangeAttribute).s(), item.get(Keys.PK).s(), item.get(Keys.SK).s());
    }

    /** DynamoDB's ExclusiveStartKey for a query of one index partition that resumes after {@code position}. */
    static Map<String, AttributeValue> startKey(String hashAttribute, AttributeValue hashValue, String rangeAttribute,
                                                String position) {
        List<String> p = decode(position);
        return Map.of(hashAttribute, hashValue, rangeAttribute, AttributeValue.fromS(p.get(0)),
                Keys.PK, AttributeValue.fromS(p.get(1)), Keys.SK, AttributeValue.fromS(p.get(2)));
    }

    static List<String> decode(String position) {
        try {
            JsonReader p = new JsonReader(position.getBytes(StandardCharsets.UTF_8));
            if (p.next() != JsonReader.Token.START_ARRAY) {
                throw new IllegalArgumentException("not an index position: " + position);
            }
            List<String> values = new ArrayList<>();
            for (JsonReader.Token t = p.next(); t != JsonReader.Token.END_ARRAY; t = p.next()) {
                if (t == JsonReader.Token.STRING) {
                    values.add(p.text());
                } else if (t == JsonReader.Token.NULL) {
                    values.add(null);
                } else {
                    throw new IllegalArgumentException("not an index position: " + position);
                }
            }
            return values;
        } catch (JsonReader.MalformedJsonException e) {
            throw new IllegalArgumentException("not an index position: " + position, e);
        }
    }
}
