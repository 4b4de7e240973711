package com.connectionkeeper.core.signature;

/**
 * Python's {@code json.dumps(json.loads(text), separators=(",", ":"), sort_keys=True)}, byte for byte: the form
 * SnapTrade signs webhooks over.
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /** The canonical form of {@code json}; throws {@link MalformedJsonException} where Python would raise. */
    public static String canonicalize(String json) {
        return dump(PythonJsonParser.parse(PyStr.of(json)));
    }

    /**
     * The canonical form of a UTF-8 body, decoded as {@code json.loads(bytes)} decodes UTF-8 (a leading BOM skipped,
     * encoded surrogates let through); Python's UTF-16/32 detection is not copied, such bodies are malformed here.
     */
    public static String canonicalize(byte[] utf8Json) {
        return dump(PythonJsonParser.parse(Utf8Decoder.decode(utf8Json)));
    }

    private static String dump(PyValue value) {
        StringBuilder out = new StringBuilder(256);
        value.dumpTo(out);
        return out.toString();
    }
}
