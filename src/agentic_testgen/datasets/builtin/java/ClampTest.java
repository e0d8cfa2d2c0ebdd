package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClampTest {
    @ParameterizedTest
    @CsvSource({"5, 5", "-3, 0", "42, 10", "0, 0", "10, 10"})
    void clampsIntegers(int value, int expected) {
        assertEquals(expected, Clamp.clamp(value, 0, 10));
    }

    @Test
    void clampsDoubles() {
        assertEquals(0.5, Clamp.clamp(0.5, 0.0, 1.0));
        assertEquals(0.0, Clamp.clamp(-0.1, 0.0, 1.0));
        assertEquals(1.0, Clamp.clamp(1.1, 0.0, 1.0));
    }

    @Test
    void rejectsReversedBounds() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Clamp.clamp(1, 10, 0));
        assertEquals("min (10.0) is greater than max (0.0)", error.getMessage());
    }

    @Test
    void rejectsNaN() {
        assertThrows(IllegalArgumentException.class, () -> Clamp.clamp(1.0, Double.NaN, 2.0));
        assertThrows(IllegalArgumentException.class, () -> Clamp.clamp(1.0, 0.0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Clamp.clamp(Double.NaN, 0.0, 2.0));
    }

    @Test
    void inclusiveRangeContainsItsBounds() {
        assertTrue(Clamp.inRange(10, 0, 10, true));
        assertTrue(Clamp.inRange(0, 0, 10, true));
        assertFalse(Clamp.inRange(11, 0, 10, true));
        assertFalse(Clamp.inRange(-1, 0, 10, true));
    }

    @Test
    void exclusiveRangeLeavesOutItsBounds() {
        assertFalse(Clamp.inRange(10, 0, 10, false));
        assertFalse(Clamp.inRange(0, 0, 10, false));
        assertTrue(Clamp.inRange(5, 0, 10, false));
    }

    @ParameterizedTest
    @CsvSource({
        "370, 0, 360, 10",
        "-1, 0, 360, 359",
        "360, 0, 360, 0",
        "13, 10, 13, 10",
        "9, 10, 13, 12"
    })
    void wrapsIntoTheRange(int value, int min, int max, int expected) {
        assertEquals(expected, Clamp.wrap(value, min, max));
    }

    @Test
    void emptyRangeCannotWrap() {
        assertThrows(IllegalArgumentException.class, () -> Clamp.wrap(3, 5, 5));
    }
}
