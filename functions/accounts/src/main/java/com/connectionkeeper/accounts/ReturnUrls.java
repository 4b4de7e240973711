package com.connectionkeeper.accounts;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/** Builds the URL the return landing redirects to: the app's return URL with the reconnect outcome in its query. */
public final class ReturnUrls {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ReturnUrls() {
    }

    /**
     * {@code returnUrl} with {@code params} appended to its query, in the map's iteration order, each name and value
     * percent-encoded as UTF-8 (everything but RFC 3986's unreserved {@code A-Z a-z 0-9 - . _ ~}; space is
     * {@code %20}). An existing query is kept ({@code &} joins, or nothing after a trailing {@code ?} or {@code &});
     * without one, {@code ?} starts it. A fragment stays at the end. No params: {@code returnUrl} unchanged.
     */
    public static String withOutcome(String returnUrl, Map<String, String> params) {
        Objects.requireNonNull(returnUrl, "returnUrl");
        Objects.requireNonNull(params, "params");
        if (params.isEmpty()) {
            return returnUrl;
        }
        int hash = returnUrl.indexOf('#');
        String base = hash < 0 ? returnUrl : returnUrl.substring(0, hash);
        String fragment = hash < 0 ? "" : returnUrl.substring(hash);
        StringBuilder url = new StringBuilder(base);
        if (base.indexOf('?') < 0) {
            url.append('?');
        } else if (!base.endsWith("?") && !base.endsWith("&")) {
            url.append('&');
        }
        boolean first = true;
        for (Map.Entry<String, String> param : params.entrySet()) {
            String name = Objects.requireNonNull(param.getKey(), "a parameter name is null");
            String value = Objects.requireNonNull(param.getValue(), () -> "parameter " + name + " is null");
            if (!first) {
                url.append('&');
            }
            first = false;
            encode(name, url);
            url.append('=');
            encode(value, url);
        }
        return url.append(fragment).toString();
    }

    /** Appends {@code text} percent-encoded (an unpaired surrogate becomes {@code ?}, encoded as {@code %3F}). */
    private static void encode(String text, StringBuilder out) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }
}
