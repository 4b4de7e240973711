package com.connectionkeeper.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;

/** A place in an index, kept between sweep runs: its key values as a JSON array of strings (any text survives). */
final class Positions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Positions() {
    }

    static String encode(String... keyValues) {
        try {
            return JSON.writeValueAsString(keyValues);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> decode(String position) {
        try {
            return Arrays.asList(JSON.readValue(position, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an index position: " + position, e);
        }
    }
}
