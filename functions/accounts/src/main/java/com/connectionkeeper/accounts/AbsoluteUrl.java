package com.connectionkeeper.accounts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * An absolute http(s) URL that passed the strict checks applied to both allow-list entries and candidate return
 * URLs: printable ASCII only (no whitespace, control characters, backslashes or raw non-ASCII), a server host, https
 * (http only for localhost, 127.0.0.1 and [::1]), no user info, no fragment, and a path without dot segments, empty
 * segments, or percent-escapes of {@code . / \ %} or control characters.
 *
 * @param scheme lower-case {@code https} or {@code http}
 * @param host   lower-case host ({@code [::1]} keeps its brackets)
 * @param port   the effective port (443 or 80 when none is given)
 * @param path   the raw path, possibly empty
 * @param query  the raw query, or null
 */
record AbsoluteUrl(String scheme, String host, int port, String path, String query) {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with the reason (phrased to follow the URL) when a check fails
     */
    static AbsoluteUrl parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                throw new IllegalArgumentException("contains a backslash");
            }
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("contains whitespace, a control or a non-ASCII character");
            }
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URI");
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw new IllegalArgumentException("is not an absolute http(s) URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("has scheme " + scheme + ", not https");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("has no valid host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("has user info");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("has a fragment");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !LOOPBACK_HOSTS.contains(host)) {
            throw new IllegalArgumentException("uses http, which is allowed only for localhost, 127.0.0.1 and [::1]");
        }
        int port = uri.getPort();
        if (port == -1) {
            port = scheme.equals("https") ? 443 : 80;
        } else if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("has port " + port + ", outside 1-65535");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        checkPath(path);
        return new AbsoluteUrl(scheme, host, port, path, uri.getRawQuery());
    }

    private static void checkPath(String path) {
        if (path.contains("//")) {
            throw new IllegalArgumentException("has an empty path segment (//)");
        }
        for (String segment : path.split("/", -1)) {
            int semicolon = segment.indexOf(';');
            String name = semicolon < 0 ? segment : segment.substring(0, semicolon);
            if (name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("has a dot segment in its path");
            }
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            // URI has checked that every % starts a two-hex-digit escape
            int decoded = Integer.parseInt(path.substring(i + 1, i + 3), 16);
            if (decoded == '.' || decoded == '/' || decoded == '\\' || decoded == '%' || decoded < 0x20
                    || decoded == 0x7f) {
                throw new IllegalArgumentException("has an encoded . / \\ % or control character in its path");
            }
        }
    }
}
