package com.connectionkeeper.api;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The API module's one Jackson mapper: HTTP bodies, and the JSON the services store (a link's options, history). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
