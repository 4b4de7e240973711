package com.connectionkeeper.accounts;

import java.util.ArrayList;
import java.util.List;

/**
 * The app return URLs a reconnect link may send the browser back to, configured as a comma-separated list of
 * absolute URLs (https, or http for localhost, 127.0.0.1 and [::1]; no user info, query or fragment).
 *
 * <p>A URL is allowed when it passes the same checks as an entry (see {@link AbsoluteUrl}; a query is allowed) and
 * some entry has the same scheme and host (case-insensitive), the same effective port (443/80 when absent), and a
 * path equal to the entry's or under it on a segment boundary: entry {@code https://app.example.com/return} allows
 * {@code /return} and {@code /return/x}, not {@code /returnx}; an entry with path {@code ""} or {@code "/"} allows
 * every path, and a trailing {@code /} on an entry's path is ignored. An empty list allows nothing.
 */
public final class ReturnUrlAllowList {
    private final List<Entry> entries;

    /** One configured URL: its text as configured, and the path every allowed path equals or lies under. */
    private record Entry(String text, AbsoluteUrl url, String pathPrefix) {
        boolean covers(AbsoluteUrl candidate) {
            return url.scheme().equals(candidate.scheme()) && url.host().equals(candidate.host())
                    && url.port() == candidate.port()
                    && (pathPrefix.isEmpty() || candidate.path().equals(pathPrefix)
                            || candidate.path().startsWith(pathPrefix + "/"));
        }
    }

    private ReturnUrlAllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a comma-separated list; entries are trimmed and empty ones skipped, so null or blank gives the empty list.
     *
     * @throws IllegalArgumentException naming the first invalid entry and why
     */
    public static ReturnUrlAllowList parse(String commaSeparated) {
        List<Entry> entries = new ArrayList<>();
        if (commaSeparated != null) {
            for (String item : commaSeparated.split(",", -1)) {
                String text = item.strip();
                if (!text.isEmpty()) {
                    entries.add(entry(text));
                }
            }
        }
        return new ReturnUrlAllowList(entries);
    }

    private static Entry entry(String text) {
        AbsoluteUrl url;
        try {
            url = AbsoluteUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("return URL allow-list entry \"" + text + "\" " + e.getMessage());
        }
        if (url.query() != null) {
            throw new IllegalArgumentException("return URL allow-list entry \"" + text + "\" has a query");
        }
        String path = url.path();
        String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return new Entry(text, url, prefix);
    }

    /** Whether the browser may be sent to {@code url}; false for null and anything that fails the checks. */
    public boolean allows(String url) {
        if (entries.isEmpty() || url == null) {
            return false;
        }
        AbsoluteUrl candidate;
        try {
            candidate = AbsoluteUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Entry entry : entries) {
            if (entry.covers(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** True when nothing is allowed. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries as configured (trimmed), in order. */
    public List<String> entries() {
        return entries.stream().map(Entry::text).toList();
    }

    @Override
    public String toString() {
        return "ReturnUrlAllowList" + entries();
    }
}
