package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

class SemanticVersionTest {
    private static SemanticVersion v(String text) {
        return SemanticVersion.parse(text);
    }

    @Test
    void parsesNumbersPrereleaseAndIgnoresBuild() {
        SemanticVersion version = v("v1.2.3-beta.11+sha.5114f85");
        assertEquals(new SemanticVersion(1, 2, 3, List.of("beta", "11")), version);
        assertEquals("1.2.3-beta.11", version.toString());
        assertEquals("0.0.1", v(" 0.0.1 ").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"01.2.3", "1.2", "1.2.3-", "one.two.three", ""})
    void rejectsInvalidVersions(String text) {
        assertThrows(IllegalArgumentException.class, () -> v(text));
    }

    @Test
    void rejectsNullAndNegativeNumbers() {
        assertThrows(IllegalArgumentException.class, () -> v(null));
        assertThrows(
                IllegalArgumentException.class, () -> new SemanticVersion(-1, 0, 0, List.of()));
        assertThrows(
                IllegalArgumentException.class, () -> new SemanticVersion(0, -1, 0, List.of()));
        assertThrows(
                IllegalArgumentException.class, () -> new SemanticVersion(0, 0, -1, List.of()));
    }

    @Test
    void thePrereleaseListIsACopy() {
        List<String> pre = new ArrayList<>(List.of("rc"));
        SemanticVersion version = new SemanticVersion(1, 0, 0, pre);
        pre.add("2");
        assertEquals(List.of("rc"), version.prerelease());
    }

    @ParameterizedTest
    @CsvSource({
        "1.2.3, 1.10.0, -1",
        "2.0.0, 1.99.99, 1",
        "1.2.4, 1.2.3, 1",
        "1.0.0+a, 1.0.0+b, 0",
        "1.0.0-rc.1, 1.0.0-rc.1, 0",
    })
    void ordersByNumbersFirst(String left, String right, int expected) {
        assertEquals(expected, Integer.signum(v(left).compareTo(v(right))));
    }

    @Test
    void followsThePrereleasePrecedenceChain() {
        List<String> chain =
                List.of(
                        "1.0.0-alpha",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha.beta",
                        "1.0.0-beta",
                        "1.0.0-beta.2",
                        "1.0.0-beta.11",
                        "1.0.0-rc.1",
                        "1.0.0");
        for (int i = 0; i + 1 < chain.size(); i++) {
            assertTrue(v(chain.get(i)).compareTo(v(chain.get(i + 1))) < 0, chain.get(i));
            assertTrue(v(chain.get(i + 1)).compareTo(v(chain.get(i))) > 0, chain.get(i + 1));
        }
    }

    @ParameterizedTest
    @CsvSource({"major, 2.0.0", "minor, 1.3.0", "patch, 1.2.4"})
    void bumpsOnePartAndResetsTheRest(String part, String expected) {
        assertEquals(v(expected), v("1.2.3-rc.1").bump(part));
    }

    @Test
    void bumpRejectsAnUnknownPart() {
        assertThrows(IllegalArgumentException.class, () -> v("1.0.0").bump("build"));
    }

    @ParameterizedTest
    @CsvSource({
        "1.9.0, ^1.2.3, true",
        "2.0.0, ^1.2.3, false",
        "0.2.9, ^0.2.3, true",
        "0.3.0, ^0.2.3, false",
        "0.0.3, ^0.0.3, true",
        "0.0.4, ^0.0.3, false",
        "1.4.9, ~1.4.1, true",
        "1.5.0, ~1.4.1, false",
        "1.4.0, ~1.4.1, false",
        "1.5.0, '>=1.0.0 <2.0.0', true",
        "2.0.0, '>=1.0.0 <2.0.0', false",
        "1.0.0, >1.0.0, false",
        "1.0.0, <=1.0.0, true",
        "1.0.1, =1.0.0, false",
        "1.0.0, 1.0.0, true",
        "7.1.0, *, true",
        "2.0.0-rc.1, ^1.0.0, false",
        "1.2.3-beta.2, >=1.2.3-beta.1, true",
        "1.2.3-beta.2, ^1.2.3-beta.1, true",
        "1.2.4-beta.2, >=1.2.3-beta.1, false",
    })
    void matchesRanges(String version, String range, boolean expected) {
        assertEquals(expected, v(version).satisfies(range));
    }

    @Test
    void aRangeWithABadVersionIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> v("1.0.0").satisfies(">=one"));
        assertFalse(v("1.0.0").isPrerelease());
    }
}
