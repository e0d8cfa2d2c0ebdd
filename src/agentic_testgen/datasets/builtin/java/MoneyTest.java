package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

class MoneyTest {
    private static Money usd(String amount) {
        return Money.of(amount, "USD");
    }

    private static List<Long> units(List<Money> parts) {
        return parts.stream().map(Money::minorUnits).toList();
    }

    @ParameterizedTest
    @CsvSource({
        "12.34, USD, 1234",
        "-0.5, USD, -50",
        "7, EUR, 700",
        "1.5E2, JPY, 150",
        "1.234, KWD, 1234"
    })
    void parsesDecimalTextExactly(String amount, String currency, long minorUnits) {
        assertEquals(minorUnits, Money.of(amount, currency).minorUnits());
    }

    @ParameterizedTest
    @CsvSource({
        "0.125, HALF_EVEN, 12",
        "0.125, HALF_UP, 13",
        "-0.125, FLOOR, -13",
        "0.129, DOWN, 12"
    })
    void roundsWhenToldHow(String amount, RoundingMode rounding, long minorUnits) {
        assertEquals(minorUnits, Money.of(amount, "USD", rounding).minorUnits());
    }

    @Test
    void tooManyDecimalsWithoutRoundingIsAnError() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> usd("0.125"));
        assertEquals("0.125 does not fit USD without rounding or is too large", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> usd("1e30"));
    }

    @Test
    void rejectsBadNumbersAndCurrencies() {
        assertThrows(IllegalArgumentException.class, () -> usd("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> Money.of("1", "XYZ"));
        assertThrows(IllegalArgumentException.class, () -> Money.of("1", null));
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> new Money(1, "GBX"));
        assertEquals("unknown currency GBX", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Money(1, null));
    }

    @Test
    void addsSubtractsAndNegatesInOneCurrency() {
        assertEquals(usd("0.30"), usd("0.10").plus(usd("0.20")));
        assertEquals(usd("-1.50"), usd("1").minus(usd("2.5")));
        assertEquals(-300, usd("3").negate().minorUnits());
        assertEquals(new BigDecimal("-1.50"), usd("-1.5").amount());
    }

    @Test
    void refusesToMixCurrencies() {
        Money euro = Money.of("1", "EUR");
        Money.CurrencyMismatchException error =
                assertThrows(Money.CurrencyMismatchException.class, () -> usd("1").plus(euro));
        assertEquals("cannot combine USD with EUR", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> usd("1").minus(euro));
        assertThrows(IllegalArgumentException.class, () -> usd("1").compareTo(euro));
    }

    @Test
    void overflowIsAnError() {
        Money most = new Money(Long.MAX_VALUE, "USD");
        assertThrows(ArithmeticException.class, () -> most.plus(usd("0.01")));
        assertThrows(ArithmeticException.class, () -> new Money(Long.MIN_VALUE, "USD").negate());
    }

    @ParameterizedTest
    @CsvSource({
        "25, 0.1, HALF_UP, 3",
        "-25, 0.1, HALF_UP, -3",
        "25, 0.1, HALF_EVEN, 2",
        "35, 0.1, HALF_EVEN, 4",
        "21, 0.1, UP, 3",
        "-21, 0.1, FLOOR, -3",
        "-21, 0.1, CEILING, -2",
        "1999, 3, UNNECESSARY, 5997",
    })
    void multipliesWithTheGivenRounding(
            long minorUnits, String factor, RoundingMode rounding, long expected) {
        assertEquals(expected, new Money(minorUnits, "USD").times(factor, rounding).minorUnits());
    }

    @Test
    void allocateGivesLeftoverUnitsToTheLargestRemainders() {
        assertEquals(List.of(4L, 3L, 3L), units(usd("0.10").allocate(1, 1, 1)));
        assertEquals(List.of(17L, 33L, 50L), units(usd("1.00").allocate(1, 2, 3)));
        assertEquals(List.of(-3L, -2L), units(usd("-0.05").allocate(1, 1)));
        assertEquals(List.of(0L, 0L), units(Money.zero("USD").allocate(1, 1)));
    }

    @Test
    void allocatedPartsAddUpToTheWhole() {
        List<Money> parts = usd("100.01").allocate(70, 0, 30);
        assertEquals(List.of(7001L, 0L, 3000L), units(parts));
        assertEquals(usd("100.01"), parts.stream().reduce(Money.zero("USD"), Money::plus));
    }

    @Test
    void allocateRejectsBadRatios() {
        assertThrows(IllegalArgumentException.class, () -> usd("1").allocate());
        assertThrows(IllegalArgumentException.class, () -> usd("1").allocate(1, -1));
        assertThrows(IllegalArgumentException.class, () -> usd("1").allocate(0, 0));
    }

    @Test
    void comparesAndTellsTheSign() {
        assertTrue(usd("1").compareTo(usd("2")) < 0);
        assertEquals(0, usd("1").compareTo(usd("1.00")));
        assertTrue(usd("0").isZero());
        assertFalse(usd("0.01").isZero());
        assertTrue(usd("-0.01").isNegative());
        assertFalse(usd("0").isNegative());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "-1234567.5 | USD | -1,234,567.50 USD",
                "0.05 | USD | 0.05 USD",
                "1000 | JPY | 1,000 JPY",
                "0.005 | KWD | 0.005 KWD",
            })
    void formatsWithGroupedThousands(String amount, String currency, String text) {
        assertEquals(text, Money.of(amount, currency).toString());
    }
}
