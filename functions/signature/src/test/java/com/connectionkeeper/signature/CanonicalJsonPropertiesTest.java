package com.connectionkeeper.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.signature.JsonTrees.Node;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Canonical form of random JSON trees: stable, independent of layout, key order and escaping, sorted, ASCII. */
class CanonicalJsonPropertiesTest {
    private static final JsonMapper JACKSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @Provide
    Arbitrary<Node> trees() {
        return JsonTrees.trees();
    }

    @Property
    void canonicalFormIsAFixedPoint(@ForAll("trees") Node tree) {
        String canonical = CanonicalJson.canonicalize(JsonTrees.compact(tree));
        assertEquals(canonical, CanonicalJson.canonicalize(canonical));
    }

    @Property
    void layoutKeyOrderEscapesAndNumberSpellingDoNotMatter(@ForAll("trees") Node tree, @ForAll long seed) {
        String compact = JsonTrees.compact(tree);
        String pretty = JsonTrees.pretty(tree, new Random(seed));
        assertEquals(CanonicalJson.canonicalize(compact), CanonicalJson.canonicalize(pretty), pretty);
    }

    @Property
    void bytesAndStringsAgree(@ForAll("trees") Node tree, @ForAll long seed) {
        String pretty = JsonTrees.pretty(tree, new Random(seed));
        assertEquals(CanonicalJson.canonicalize(pretty),
                CanonicalJson.canonicalize(JsonTrees.utf8SurrogatePass(pretty)));
    }

    @Property
    void outputIsPrintableAscii(@ForAll("trees") Node tree) {
        String canonical = CanonicalJson.canonicalize(JsonTrees.compact(tree));
        assertTrue(canonical.chars().allMatch(c -> c >= 0x20 && c < 0x7F), canonical);
    }

    /** Read back with Jackson as an independent reader (which refuses lone surrogates, hence the assumption). */
    @Property
    void keysRiseStrictlyByCodePoint(@ForAll("trees") Node tree) throws Exception {
        String compact = JsonTrees.compact(tree);
        Assume.that(compact.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
        assertKeysSorted(JACKSON.readTree(CanonicalJson.canonicalize(compact)));
    }

    private static void assertKeysSorted(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (int i = 1; i < names.size(); i++) {
            int[] previous = names.get(i - 1).codePoints().toArray();
            int[] current = names.get(i).codePoints().toArray();
            assertTrue(Arrays.compare(previous, current) < 0, names.get(i - 1) + " before " + names.get(i));
        }
        node.elements().forEachRemaining(CanonicalJsonPropertiesTest::assertKeysSorted);
    }
}
