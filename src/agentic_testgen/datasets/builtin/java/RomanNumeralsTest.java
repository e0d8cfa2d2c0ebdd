package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RomanNumeralsTest {
    @ParameterizedTest
    @CsvSource({"1, I", "4, IV", "9, IX", "14, XIV", "40, XL", "1994, MCMXCIV", "3999, MMMCMXCIX"})
    void writesNumbers(int number, String numeral) {
        assertEquals(numeral, RomanNumerals.toRoman(number));
        assertEquals(number, RomanNumerals.fromRoman(numeral));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 4000})
    void rejectsNumbersOutsideTheRange(int number) {
        assertThrows(IllegalArgumentException.class, () -> RomanNumerals.toRoman(number));
    }

    @Test
    void readsLowerCase() {
        assertEquals(42, RomanNumerals.fromRoman("xlii"));
    }

    @Test
    void everyNumberSurvivesARoundTrip() {
        for (int n = 1; n <= 3999; n++) {
            assertEquals(n, RomanNumerals.fromRoman(RomanNumerals.toRoman(n)));
        }
    }

    @Test
    void unknownLettersAreNamedWithTheirPosition() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> RomanNumerals.fromRoman("XIZ"));
        assertEquals("invalid numeral 'Z' at 2", error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IIII", "VX", "IC", "MMMM", "XVV"})
    void rejectsNonCanonicalForms(String numeral) {
        assertThrows(IllegalArgumentException.class, () -> RomanNumerals.fromRoman(numeral));
    }

    @Test
    void rejectsEmptyAndNull() {
        assertThrows(IllegalArgumentException.class, () -> RomanNumerals.fromRoman(""));
        assertThrows(IllegalArgumentException.class, () -> RomanNumerals.fromRoman(null));
    }

    @Test
    void isRomanAnswersWithoutThrowing() {
        assertTrue(RomanNumerals.isRoman("MMXXIV"));
        assertFalse(RomanNumerals.isRoman("IIV"));
    }
}
