package com.connectionkeeper.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ReturnUrlAllowList: which entries parse, and which candidate URLs they allow, tricks included. */
class ReturnUrlAllowListTest {
    private static final ReturnUrlAllowList LIST = ReturnUrlAllowList.parse(
            " https://app.example.com/return , http://localhost:3000/cb,https://root.example.com/,"
                    + "https://port.example.com:8443/x/ ,");

    @Test
    void entriesAreTrimmedAndEmptyOnesSkipped() {
        assertEquals(List.of("https://app.example.com/return", "http://localhost:3000/cb",
                "https://root.example.com/", "https://port.example.com:8443/x/"), LIST.entries());
        assertFalse(LIST.isEmpty());
    }

    @Test
    void allowedUrls() {
        for (String url : List.of(
                "https://app.example.com/return",
                "https://app.example.com/return/",
                "https://app.example.com/return/x",
                "https://app.example.com/return/x/y/z",
                "https://app.example.com/return?",
                "https://app.example.com/return?x=1&y=2",
                "https://app.example.com/return/x?next=https%3A%2F%2Fevil.com",
                "https://app.example.com/return/%C3%A9t%C3%A9",
                "https://app.example.com/return/a.b/..c/c..",
                "HTTPS://APP.EXAMPLE.COM/return",
                "https://App.Example.Com:443/return",
                "http://localhost:3000/cb",
                "http://LOCALHOST:3000/cb/done?x",
                "https://root.example.com",
                "https://root.example.com/",
                "https://root.example.com/anything/at/all?q=1",
                "https://port.example.com:8443/x",
                "https://port.example.com:8443/x/y")) {
            assertTrue(LIST.allows(url), url);
        }
    }

    @Test
    void refusedUrls() {
        for (String url : Arrays.asList(
                null, "", " ", "return", "/return", "app.example.com/return",
                // path on a segment boundary, case-sensitive
                "https://app.example.com/returnx", "https://app.example.com/retur", "https://app.example.com/",
                "https://app.example.com", "https://app.example.com/Return", "https://app.example.com/x/return",
                "https://app.example.com/return;jsessionid=1",
                // scheme, port
                "http://app.example.com/return", "ftp://app.example.com/return", "wss://app.example.com/return",
                "https://app.example.com:8443/return", "https://app.example.com:80/return",
                "https://app.example.com:0/return", "https://app.example.com:99999/return",
                "https://app.example.com:443:443/return", "https://localhost:3000/cb", "http://localhost/cb",
                "http://localhost:3001/cb", "http://127.0.0.1:3000/cb", "http://[::1]:3000/cb",
                "https://port.example.com/x", "https://port.example.com:8443/xy",
                // other hosts and look-alikes
                "https://evil.com/return", "https://app.example.com.evil.com/return",
                "https://evil.com/app.example.com/return", "https://app.example.com./return",
                "https://app.example.co/return", "https://sub.app.example.com/return",
                "https://app_example.com/return", "https://app%2eexample.com/return",
                // user info
                "https://app.example.com@evil.com/return", "https://user@app.example.com/return",
                "https://user:pw@app.example.com/return", "https://app.example.com%40evil.com/return",
                // scheme-relative and half-absolute
                "//evil.com", "//evil.com/return", "//app.example.com/return", "///app.example.com/return",
                "https:/app.example.com/return", "https:app.example.com/return", "https:///app.example.com/return",
                "https://", "https:///return",
                // backslashes
                "https://app.example.com\\@evil.com/return", "https:\\\\evil.com\\return",
                "https://app.example.com/return\\..\\admin", "/\\evil.com", "\\\\evil.com",
                // not http(s)
                "javascript:alert(1)", "JavaScript:alert(1)//https://app.example.com/return",
                "javascript://app.example.com/return%0aalert(1)", "data:text/html,<script>alert(1)</script>",
                "mailto:a@app.example.com", "file:///etc/passwd",
                // dot segments, encoded or not, and empty segments
                "https://app.example.com/return/..", "https://app.example.com/return/../admin",
                "https://app.example.com/return/./x", "https://app.example.com/return/.",
                "https://app.example.com/return/..;/admin", "https://app.example.com/return/.;x/",
                "https://app.example.com/return/%2e%2e/", "https://app.example.com/return/%2E%2E/admin",
                "https://app.example.com/return/%2e/x", "https://app.example.com/return/.%2e/admin",
                "https://app.example.com/return%2f..%2fadmin", "https://app.example.com/return/%2F",
                "https://app.example.com/return/%5c..%5cadmin", "https://app.example.com/return/%252e%252e/admin",
                "https://app.example.com/return/%00", "https://app.example.com/return/%0a",
                "https://app.example.com/return//evil.com", "https://root.example.com//evil.com",
                "https://app.example.com/return/%zz",
                // whitespace, control and non-ASCII characters
                " https://app.example.com/return", "https://app.example.com/return ",
                "https://app.example.com/return\n", "https://app.exam\tple.com/return",
                "https://app.example.com/re\rturn", "https://app.example.com/return\u0000",
                "https://app.example.com/return\u007f", "https://app.example.com/return?x= y",
                "https://\u0430pp.example.com/return", "https://app.example.com/ret\u00fcrn",
                "https://app.example.com\u3002evil.com/return", "https://app.example.com/return\u2028",
                // fragments
                "https://app.example.com/return#x", "https://app.example.com/return#",
                "https://app.example.com#@evil.com/return")) {
            assertFalse(LIST.allows(url), url);
        }
    }

    @Test
    void anEmptyListAllowsNothing() {
        for (String config : Arrays.asList(null, "", "   ", ",", " , ,")) {
            ReturnUrlAllowList empty = ReturnUrlAllowList.parse(config);
            assertTrue(empty.isEmpty(), config);
            assertEquals(List.of(), empty.entries());
            assertFalse(empty.allows("https://app.example.com/return"), config);
            assertFalse(empty.allows("http://localhost:3000/cb"), config);
        }
    }

    @Test
    void anEntryWithARootPathAllowsEveryPathOfItsOrigin() {
        for (String entry : List.of("https://app.example.com", "https://app.example.com/",
                "https://app.example.com:443/")) {
            ReturnUrlAllowList list = ReturnUrlAllowList.parse(entry);
            assertTrue(list.allows("https://app.example.com"), entry);
            assertTrue(list.allows("https://app.example.com/"), entry);
            assertTrue(list.allows("https://app.example.com/a/b?c"), entry);
            assertFalse(list.allows("https://app.example.com:444/a"), entry);
            assertFalse(list.allows("https://app.example.com/a/../b"), entry);
        }
    }

    @Test
    void aTrailingSlashOnAnEntryIsIgnored() {
        ReturnUrlAllowList list = ReturnUrlAllowList.parse("https://app.example.com/return/");
        assertTrue(list.allows("https://app.example.com/return"));
        assertTrue(list.allows("https://app.example.com/return/"));
        assertTrue(list.allows("https://app.example.com/return/x"));
        assertFalse(list.allows("https://app.example.com/returnx"));
    }

    @Test
    void loopbackEntriesMayUseHttp() {
        ReturnUrlAllowList list = ReturnUrlAllowList.parse(
                "http://localhost:8080/cb,http://127.0.0.1/cb,http://[::1]:9000/,https://[::1]/s");
        assertTrue(list.allows("http://localhost:8080/cb"));
        assertTrue(list.allows("http://127.0.0.1/cb/x"));
        assertTrue(list.allows("http://127.0.0.1:80/cb"));
        assertTrue(list.allows("http://[::1]:9000/anything"));
        assertTrue(list.allows("https://[::1]/s"));
        assertFalse(list.allows("http://localhost/cb"));
        assertFalse(list.allows("http://127.0.0.2/cb"));
        assertFalse(list.allows("http://[0:0:0:0:0:0:0:1]:9000/"));
        assertFalse(list.allows("http://[::1]/"));
        assertFalse(list.allows("http://[::1]/s"));
    }

    @Test
    void invalidEntriesAreRefusedByName() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("http://app.example.com/return",
                        "uses http, which is allowed only for localhost, 127.0.0.1 and [::1]"),
                Map.entry("app.example.com/return", "is not an absolute http(s) URL"),
                Map.entry("/return", "is not an absolute http(s) URL"),
                Map.entry("//app.example.com/return", "is not an absolute http(s) URL"),
                Map.entry("javascript:alert(1)", "is not an absolute http(s) URL"),
                Map.entry("ftp://app.example.com/", "has scheme ftp, not https"),
                Map.entry("https:///return", "has no valid host"),
                Map.entry("https://app_example.com/", "has no valid host"),
                Map.entry("https://user@app.example.com/return", "has user info"),
                Map.entry("https://app.example.com/return#x", "has a fragment"),
                Map.entry("https://app.example.com/return?x=1", "has a query"),
                Map.entry("https://app.example.com/return?", "has a query"),
                Map.entry("https://app.example.com:0/", "has port 0, outside 1-65535"),
                Map.entry("https://app.example.com/a/../b", "has a dot segment in its path"),
                Map.entry("https://app.example.com/a//b", "has an empty path segment (//)"),
                Map.entry("https://app.example.com/%2e%2e",
                        "has an encoded . / \\ % or control character in its path"),
                Map.entry("https://app.example.com\\return", "contains a backslash"),
                Map.entry("https://app.exa mple.com/", "contains whitespace, a control or a non-ASCII character"),
                Map.entry("https://\u0430pp.example.com/", "contains whitespace, a control or a non-ASCII character"),
                Map.entry("https://app.example.com/{x}", "is not a valid URI"));
        cases.forEach((entry, reason) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReturnUrlAllowList.parse("https://ok.example.com/," + entry), entry);
            assertEquals("return URL allow-list entry \"" + entry + "\" " + reason, e.getMessage());
        });
    }

    @Test
    void urlsWithTheOutcomeAppendedStayAllowed() {
        String url = ReturnUrls.withOutcome("https://app.example.com/return/x?a=1",
                Map.of("status", "ERROR", "error_code", "a b/../c#d"));
        assertTrue(LIST.allows(url), url);
    }
}
