package atg.examples;

/** Whole numbers in any base from 2 to 36, with digits 0-9 then a-z. */
public final class BaseConverter {
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

    private BaseConverter() {}

    private static void checkBase(int base) {
        if (base < 2 || base > 36) {
            throw new IllegalArgumentException("base must be between 2 and 36, not " + base);
        }
    }

    public static String toBase(long number, int base) {
        checkBase(base);
        if (number == 0) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        // work on the negative value: Long.MIN_VALUE has no positive counterpart
        long rest = number < 0 ? number : -number;
        while (rest != 0) {
            out.append(DIGITS.charAt((int) -(rest % base)));
            rest /= base;
        }
        if (number < 0) {
            out.append('-');
        }
        return out.reverse().toString();
    }

    public static long fromBase(String text, int base) {
        checkBase(base);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected digits");
        }
        String digits = text.strip().toLowerCase();
        boolean negative = digits.startsWith("-");
        int start = negative || digits.startsWith("+") ? 1 : 0;
        if (start == digits.length()) {
            throw new IllegalArgumentException("a sign without digits");
        }
        long value = 0;
        for (int i = start; i < digits.length(); i++) {
            int digit = DIGITS.indexOf(digits.charAt(i));
            if (digit < 0 || digit >= base) {
                throw new IllegalArgumentException(
                        "'" + digits.charAt(i) + "' is not a digit in base " + base);
            }
            // accumulate negatively so that Long.MIN_VALUE can be read
            if (value < (Long.MIN_VALUE + digit) / base) {
                throw new ArithmeticException(text + " does not fit in a long");
            }
            value = value * base - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw new ArithmeticException(text + " does not fit in a long");
            }
            value = -value;
        }
        return value;
    }

    public static String convert(String text, int fromBase, int toBase) {
        return toBase(fromBase(text, fromBase), toBase);
    }
}
