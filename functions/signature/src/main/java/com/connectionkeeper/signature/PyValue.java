package com.connectionkeeper.signature;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** A value as Python's {@code json.loads} returns it, written back the way the canonical {@code json.dumps} does. */
sealed interface PyValue permits PyStr, PyValue.Dict, PyValue.Array, PyValue.Atom {

    /** Appends the canonical JSON text of this value; all of it is ASCII. */
    void dumpTo(StringBuilder out);

    /** A dict; its members are kept sorted by key in code point order (Python's {@code str} order). */
    record Dict(SortedMap<PyStr, PyValue> members) implements PyValue {
        @Override
        public void dumpTo(StringBuilder out) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<PyStr, PyValue> member : members.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                member.getKey().dumpTo(out);
                out.append(':');
                member.getValue().dumpTo(out);
            }
            out.append('}');
        }
    }

    /** A list. */
    record Array(List<PyValue> items) implements PyValue {
        @Override
        public void dumpTo(StringBuilder out) {
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                items.get(i).dumpTo(out);
            }
            out.append(']');
        }
    }

    /** null, true, false or a number, held as the exact text {@code json.dumps} gives it. */
    record Atom(String json) implements PyValue {
        static final Atom NULL = new Atom("null");
        static final Atom TRUE = new Atom("true");
        static final Atom FALSE = new Atom("false");
        static final Atom NAN = new Atom("NaN");
        static final Atom INFINITY = new Atom("Infinity");
        static final Atom NEGATIVE_INFINITY = new Atom("-Infinity");

        @Override
        public void dumpTo(StringBuilder out) {
            out.append(json);
        }
    }
}
