package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BaseConverterTest {
    @ParameterizedTest
    @CsvSource({"0, 2, 0", "10, 2, 1010", "255, 16, ff", "-255, 16, -ff", "35, 36, z", "8, 8, 10"})
    void writesAndReadsNumbers(long number, int base, String text) {
        assertEquals(text, BaseConverter.toBase(number, base));
        assertEquals(number, BaseConverter.fromBase(text, base));
    }

    @Test
    void handlesTheExtremesOfLong() {
        String min = BaseConverter.toBase(Long.MIN_VALUE, 16);
        assertEquals("-8000000000000000", min);
        assertEquals(Long.MIN_VALUE, BaseConverter.fromBase(min, 16));
        assertEquals(Long.MAX_VALUE, BaseConverter.fromBase("7fffffffffffffff", 16));
    }

    @Test
    void readsSignsCaseAndSurroundingBlanks() {
        assertEquals(255, BaseConverter.fromBase(" +FF ", 16));
        assertEquals(-5, BaseConverter.fromBase("-101", 2));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 37, 0, -2})
    void rejectsBasesOutsideTwoToThirtySix(int base) {
        assertThrows(IllegalArgumentException.class, () -> BaseConverter.toBase(1, base));
        assertThrows(IllegalArgumentException.class, () -> BaseConverter.fromBase("1", base));
    }

    @Test
    void rejectsDigitsTheBaseDoesNotHave() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class, () -> BaseConverter.fromBase("102", 2));
        assertEquals("'2' is not a digit in base 2", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BaseConverter.fromBase("1.5", 10));
    }

    @Test
    void rejectsEmptyInputAndALoneSign() {
        assertThrows(IllegalArgumentException.class, () -> BaseConverter.fromBase(null, 10));
        assertThrows(IllegalArgumentException.class, () -> BaseConverter.fromBase("  ", 10));
        assertThrows(IllegalArgumentException.class, () -> BaseConverter.fromBase("-", 10));
    }

    @Test
    void numbersTooBigForALongAreAnError() {
        assertThrows(
                ArithmeticException.class, () -> BaseConverter.fromBase("8000000000000000", 16));
        assertThrows(
                ArithmeticException.class, () -> BaseConverter.fromBase("-8000000000000001", 16));
        assertThrows(
                ArithmeticException.class,
                () -> BaseConverter.fromBase("99999999999999999999", 10));
    }

    @Test
    void convertsBetweenBases() {
        assertEquals("11111111", BaseConverter.convert("ff", 16, 2));
        assertEquals("-z", BaseConverter.convert("-35", 10, 36));
    }
}
