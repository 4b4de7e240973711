package com.connectionkeeper.testkit;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS calls loopback stand-ins received, as IAM sees them: who (the access key id of the SigV4 signature — the
 * local stack gives each function its own), which action ({@code dynamodb:UpdateItem}) on which resource (a table,
 * index, key, secret or bus as the stand-in knows it). Distinct calls only; thread-safe.
 */
public final class AwsCalls {
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

    /** One call: principal, IAM action, resource. */
    public record Call(String principal, String action, String resource) implements Comparable<Call> {
        @Override
        public int compareTo(Call o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return principal + " " + action + " " + resource;
        }
    }

    private final Set<Call> calls = new TreeSet<>();

    /** Records a call signed with {@code authorization} (its access key id is the principal). */
    public void add(String authorization, String action, String resource) {
        String principal = principal(authorization);
        synchronized (calls) {
            calls.add(new Call(principal, action, resource));
        }
    }

    /** Every distinct call so far, sorted. */
    public Set<Call> all() {
        synchronized (calls) {
            return new TreeSet<>(calls);
        }
    }

    /** The access key id of a SigV4 Authorization header; "?" without one. */
    static String principal(String authorization) {
        if (authorization == null) {
            return "?";
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? m.group(1) : "?";
    }
}
