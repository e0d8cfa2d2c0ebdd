package atg.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An amount of money as a whole number of minor units (cents) in one currency: exact parsing,
 * arithmetic that refuses to mix currencies, multiplication with an explicit rounding mode, and
 * allocation by ratios that never loses or creates a cent.
 */
public record Money(long minorUnits, String currency) implements Comparable<Money> {
    private static final Map<String, Integer> DECIMALS =
            Map.of("USD", 2, "EUR", 2, "JPY", 0, "KWD", 3);

    /** Two amounts in different currencies were combined. */
    public static final class CurrencyMismatchException extends IllegalArgumentException {
        CurrencyMismatchException(String left, String right) {
            super("cannot combine " + left + " with " + right);
        }
    }

    public Money {
        if (currency == null || !DECIMALS.containsKey(currency)) {
            throw new IllegalArgumentException("unknown currency " + currency);
        }
    }

    /** "12.34" in USD; more decimals than the currency has are an error. */
    public static Money of(String amount, String currency) {
        return of(amount, currency, RoundingMode.UNNECESSARY);
    }

    public static Money of(String amount, String currency, RoundingMode rounding) {
        int decimals = decimalsOf(currency);
        BigDecimal value;
        try {
            value = new BigDecimal(amount.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a decimal number: " + amount, e);
        }
        try {
            return new Money(
                    value.setScale(decimals, rounding).unscaledValue().longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    amount + " does not fit " + currency + " without rounding or is too large", e);
        }
    }

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    private static int decimalsOf(String currency) {
        Integer decimals = currency == null ? null : DECIMALS.get(currency);
        if (decimals == null) {
            throw new IllegalArgumentException("unknown currency " + currency);
        }
        return decimals;
    }

    public int decimals() {
        return DECIMALS.get(currency);
    }

    public BigDecimal amount() {
        return BigDecimal.valueOf(minorUnits, decimals());
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatchException(currency, other.currency);
        }
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minorUnits, other.minorUnits), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minorUnits), currency);
    }

    public Money times(String factor, RoundingMode rounding) {
        BigDecimal product = BigDecimal.valueOf(minorUnits).multiply(new BigDecimal(factor));
        return new Money(product.setScale(0, rounding).longValueExact(), currency);
    }

    /**
     * Split by ratios such as (1, 1, 1) or (70, 30). The units that do not divide evenly go one
     * each to the shares with the largest remainders, the earlier share first on a tie.
     */
    public List<Money> allocate(int... ratios) {
        if (ratios.length == 0) {
            throw new IllegalArgumentException("give at least one ratio");
        }
        if (Arrays.stream(ratios).anyMatch(r -> r < 0)) {
            throw new IllegalArgumentException("ratios must not be negative");
        }
        long total = Arrays.stream(ratios).asLongStream().sum();
        if (total == 0) {
            throw new IllegalArgumentException("ratios must not all be zero");
        }
        long sign = Long.signum(minorUnits);
        long amount = Math.abs(minorUnits);
        long[] shares = new long[ratios.length];
        long[] remainders = new long[ratios.length];
        long left = amount;
        for (int i = 0; i < ratios.length; i++) {
            shares[i] = Math.multiplyExact(amount, (long) ratios[i]) / total;
            remainders[i] = Math.multiplyExact(amount, (long) ratios[i]) % total;
            left -= shares[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ratios.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> remainders[i]).reversed());
        for (int i = 0; i < left; i++) {
            shares[order.get(i)]++;
        }
        List<Money> result = new ArrayList<>(ratios.length);
        for (long share : shares) {
            result.add(new Money(sign * share, currency));
        }
        return result;
    }

    public boolean isZero() {
        return minorUnits == 0;
    }

    public boolean isNegative() {
        return minorUnits < 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minorUnits, other.minorUnits);
    }

    /** "-1,234.50 USD". */
    @Override
    public String toString() {
        BigDecimal amount = amount().abs();
        String whole = String.format(Locale.ROOT, "%,d", amount.toBigInteger());
        String text =
                decimals() == 0
                        ? whole
                        : whole
                                + amount.toPlainString()
                                        .substring(amount.toPlainString().indexOf('.'));
        return (isNegative() ? "-" : "") + text + " " + currency;
    }
}
