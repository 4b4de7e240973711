package com.connectionkeeper.signature;

/**
 * Python's {@code json.dumps(json.loads(text), separators=(",", ":"), sort_keys=True)}, byte for byte: the form
 * SnapTrade signs webhooks over.
 */
public final class CanonicalJson {
    /**
     * How much work a canonical form may take: nesting depth, values (every array item, object member and the
     * top-level value; a member counts once, with its key), floats (the costly numbers to format), characters of one
     * number. Going over any of them throws {@link BoundsExceededException} as soon as it happens.
     */
    public record Limits(int maxDepth, int maxValues, int maxFloats, int maxNumberChars) {
        /** Python's own limits only (nesting {@value PythonJsonParser#MAX_DEPTH}): for bodies already trusted. */
        public static final Limits PYTHON = new Limits(PythonJsonParser.MAX_DEPTH, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE);
        /**
         * For a body not yet authenticated (its raw bytes did not verify). A SnapTrade webhook has a flat object of
         * about ten fields, a {@code details} object at most a level or two deep, a handful of numbers: these bounds
         * are two orders of magnitude above that, and keep the worst body under 256 KB to a few milliseconds.
         */
        public static final Limits UNAUTHENTICATED = new Limits(32, 10_000, 1_000, 100);
    }

    private CanonicalJson() {
    }

    /** The canonical form of {@code json}; throws {@link MalformedJsonException} where Python would raise. */
    public static String canonicalize(String json) {
        return dump(PythonJsonParser.parse(PyStr.of(json), Limits.PYTHON));
    }

    /**
     * The canonical form of a UTF-8 body, decoded as {@code json.loads(bytes)} decodes UTF-8 (a leading BOM skipped,
     * encoded surrogates let through); Python's UTF-16/32 detection is not copied, such bodies are malformed here.
     */
    public static String canonicalize(byte[] utf8Json) {
        return canonicalize(utf8Json, Limits.PYTHON);
    }

    /** Like {@link #canonicalize(byte[])}, within {@code limits}: beyond them, {@link BoundsExceededException}. */
    public static String canonicalize(byte[] utf8Json, Limits limits) {
        return dump(PythonJsonParser.parse(Utf8Decoder.decode(utf8Json), limits));
    }

    private static String dump(PyValue value) {
        StringBuilder out = new StringBuilder(256);
        value.dumpTo(out);
        return out.toString();
    }
}
