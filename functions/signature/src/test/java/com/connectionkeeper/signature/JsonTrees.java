package com.connectionkeeper.signature;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random JSON trees for property tests, and two serializations of the same tree: compact (insertion order, raw
 * characters) and pretty (random whitespace, keys reversed, random escapes, numbers written differently).
 */
final class JsonTrees {
    /** A JSON value. */
    sealed interface Node permits Obj, Arr, Str, Int, Flt, Lit {
    }

    record Obj(Map<String, Node> members) implements Node {
    }

    record Arr(List<Node> items) implements Node {
    }

    record Str(String value) implements Node {
    }

    record Int(BigInteger value) implements Node {
    }

    record Flt(double value) implements Node {
    }

    record Lit(String text) implements Node {
    }

    private JsonTrees() {
    }

    /** Trees up to four levels deep; without edge cases, which jqwik would combine across all nested levels. */
    static Arbitrary<Node> trees() {
        return Arbitraries.recursive(JsonTrees::leaf, JsonTrees::container, 1, 4).withoutEdgeCases();
    }

    private static Arbitrary<Node> leaf() {
        return Arbitraries.oneOf(strings().map(Str::new), integers(), doubles(),
                Arbitraries.of("true", "false", "null").map(Lit::new));
    }

    private static Arbitrary<Node> container(Arbitrary<Node> child) {
        return Arbitraries.oneOf(leaf(), child.list().ofMaxSize(5).map(Arr::new),
                Combinators.combine(strings(), child).as(Map::entry).list().ofMaxSize(5)
                        .map(entries -> {
                            Map<String, Node> members = new LinkedHashMap<>();
                            entries.forEach(e -> members.put(e.getKey(), e.getValue()));
                            return new Obj(members);
                        }));
    }

    /** Strings mixing every class of code point that escapes or sorts differently, lone surrogates included. */
    static Arbitrary<String> strings() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(4),
                Arbitraries.of("\"", "\\", "/", "\u007f", "\u00e9", "\n", "\u0000", "\u001f", "\u2028"),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(2),
                Arbitraries.strings().withCharRange('\u0080', '\ud7ff').ofMaxLength(2),
                Arbitraries.strings().withCharRange('\ue000', '\uffff').ofMaxLength(2),
                Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMaxLength(2));
        return piece.list().ofMaxSize(4).map(pieces -> String.join("", pieces));
    }

    private static Arbitrary<Node> integers() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(BigInteger::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)))
                .map(Int::new);
    }

    private static Arbitrary<Node> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.longs().map(Double::longBitsToDouble))
                .map(Flt::new);
    }

    /** The double's exact decimal value (or literal), as JSON that still reads as a float: 0.1 is 0.1000...0555. */
    private static String exactText(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0E0" : "0.000";
        }
        String exact = new BigDecimal(d).toString();
        return exact.contains(".") || exact.contains("E") ? exact : exact + ".0";
    }

    static String compact(Node node) {
        StringBuilder out = new StringBuilder();
        writeCompact(node, out);
        return out.toString();
    }

    private static void writeCompact(Node node, StringBuilder out) {
        if (node instanceof Obj o) {
            out.append('{');
            String separator = "";
            for (Map.Entry<String, Node> member : o.members().entrySet()) {
                out.append(separator);
                separator = ",";
                writeString(member.getKey(), null, out);
                out.append(':');
                writeCompact(member.getValue(), out);
            }
            out.append('}');
        } else if (node instanceof Arr a) {
            out.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                out.append(i > 0 ? "," : "");
                writeCompact(a.items().get(i), out);
            }
            out.append(']');
        } else {
            writeLeaf(node, null, out);
        }
    }

    static String pretty(Node node, Random random) {
        StringBuilder out = new StringBuilder();
        writePretty(node, random, 0, out);
        return out.toString();
    }

    private static void writePretty(Node node, Random random, int indent, StringBuilder out) {
        if (node instanceof Obj o) {
            List<Map.Entry<String, Node>> members = new ArrayList<>(o.members().entrySet());
            Collections.reverse(members);
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                out.append(i > 0 ? "," : "");
                newline(random, indent + 1, out);
                writeString(members.get(i).getKey(), random, out);
                whitespace(random, out);
                out.append(':');
                whitespace(random, out);
                writePretty(members.get(i).getValue(), random, indent + 1, out);
            }
            newline(random, indent, out);
            out.append('}');
        } else if (node instanceof Arr a) {
            out.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                out.append(i > 0 ? "," : "");
                newline(random, indent + 1, out);
                writePretty(a.items().get(i), random, indent + 1, out);
            }
            newline(random, indent, out);
            out.append(']');
        } else {
            writeLeaf(node, random, out);
        }
    }

    private static void writeLeaf(Node node, Random random, StringBuilder out) {
        if (node instanceof Str s) {
            writeString(s.value(), random, out);
        } else if (node instanceof Int i) {
            out.append(random != null && i.value().signum() == 0 ? "-0" : i.value().toString());
        } else if (node instanceof Flt f) {
            out.append(random == null ? Double.toString(f.value()) : exactText(f.value()));
        } else {
            out.append(((Lit) node).text());
        }
    }

    /** A string literal; with a random source, each code point is escaped or not at random, in any hex case. */
    private static void writeString(String value, Random random, StringBuilder out) {
        out.append('"');
        value.codePoints().forEach(cp -> {
            boolean mustEscape = cp == '"' || cp == '\\' || cp < 0x20;
            boolean escape = mustEscape || random != null && random.nextInt(3) == 0;
            if (!escape) {
                out.appendCodePoint(cp);
            } else if (cp == '"' || cp == '\\' || cp == '/' && random != null && random.nextBoolean()) {
                out.append('\\').append((char) cp);
            } else if (cp == '\n' && random != null && random.nextBoolean()) {
                out.append("\\n");
            } else {
                for (char unit : Character.toChars(cp)) {
                    String hex = String.format("\\u%04x", (int) unit);
                    out.append(random != null && random.nextBoolean() ? hex.toUpperCase().replace("\\U", "\\u") : hex);
                }
            }
        });
        out.append('"');
    }

    private static void newline(Random random, int indent, StringBuilder out) {
        out.append(random.nextInt(4) == 0 ? "\r\n" : "\n").append("  ".repeat(indent));
        whitespace(random, out);
    }

    private static void whitespace(Random random, StringBuilder out) {
        for (int i = random.nextInt(3); i > 0; i--) {
            out.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    /** UTF-8 with surrogatepass, as Python would write the same str: a lone surrogate becomes three bytes. */
    static byte[] utf8SurrogatePass(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        });
        return out.toByteArray();
    }
}
