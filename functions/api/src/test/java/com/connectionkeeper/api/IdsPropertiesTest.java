package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every id has exactly one accepted spelling in a path: its canonical encoding (unreserved characters literal, every
 * other UTF-8 byte %XX in upper-case hex), computed here independently of the production code.
 */
class IdsPropertiesTest {

    @Property(tries = 3000)
    void theCanonicalSpellingOfAnyIdDecodesToIt(@ForAll("ids") String id) {
        assertEquals(id, Ids.decodeSegment(canonical(id), "userId"));
    }

    @Property(tries = 5000)
    void aSpellingIsAcceptedOnlyAsTheCanonicalSpellingOfWhatItDecodesTo(@ForAll("ids") String id,
                                                                        @ForAll("modes") List<Integer> modes) {
        String spelling = respell(id, modes);
        String decoded;
        try {
            decoded = Ids.decodeSegment(spelling, "userId");
        } catch (ApiException refused) {
            assertEquals(400, refused.status());
            return;
        }
        assertEquals(canonical(decoded), spelling, "accepted a second spelling of " + decoded);
        if (spelling.equals(canonical(id))) {
            assertEquals(id, decoded);
        }
    }

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withChars("aZ09-._~+!$&'()*,;=:@% #?é").ofMinLength(1).ofMaxLength(12));
        return text.filter(IdsPropertiesTest::isId);
    }

    @Provide
    Arbitrary<List<Integer>> modes() {
        return Arbitraries.integers().between(0, 3).list().ofMinSize(1).ofMaxSize(20);
    }

    private static boolean isId(String s) {
        try {
            Ids.check(s, "id");
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    static String canonical(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        return out.toString();
    }

    /** Each code point spelled one of four ways: 0 canonical, 1 literal, 2 every byte escaped, 3 lower-case hex. */
    static String respell(String id, List<Integer> modes) {
        StringBuilder out = new StringBuilder();
        int[] cps = id.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            String cp = new String(Character.toChars(cps[i]));
            switch (modes.get(i % modes.size())) {
                case 1 -> out.append(cp);
                case 2 -> {
                    for (byte b : cp.getBytes(StandardCharsets.UTF_8)) {
                        out.append(String.format("%%%02X", b & 0xff));
                    }
                }
                case 3 -> {
                    for (byte b : cp.getBytes(StandardCharsets.UTF_8)) {
                        out.append(String.format("%%%02x", b & 0xff));
                    }
                }
                default -> out.append(canonical(cp));
            }
        }
        return out.toString();
    }
}
