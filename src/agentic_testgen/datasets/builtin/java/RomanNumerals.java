package atg.examples;

import java.util.Map;

/** Roman numerals between 1 and 3999, both ways, in their canonical (subtractive) form. */
public final class RomanNumerals {
    private static final int[] VALUES = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    private static final String[] SYMBOLS = {
        "M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"
    };
    private static final Map<Character, Integer> LETTERS =
            Map.of('I', 1, 'V', 5, 'X', 10, 'L', 50, 'C', 100, 'D', 500, 'M', 1000);

    private RomanNumerals() {}

    public static String toRoman(int number) {
        if (number < 1 || number > 3999) {
            throw new IllegalArgumentException(number + " is outside 1..3999");
        }
        StringBuilder out = new StringBuilder();
        int rest = number;
        for (int i = 0; i < VALUES.length; i++) {
            while (rest >= VALUES[i]) {
                out.append(SYMBOLS[i]);
                rest -= VALUES[i];
            }
        }
        return out.toString();
    }

    public static int fromRoman(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("expected a non-empty numeral");
        }
        String upper = text.toUpperCase();
        int total = 0;
        for (int i = 0; i < upper.length(); i++) {
            Integer value = LETTERS.get(upper.charAt(i));
            if (value == null) {
                throw new IllegalArgumentException(
                        "invalid numeral '" + text.charAt(i) + "' at " + i);
            }
            int next = i + 1 < upper.length() ? LETTERS.getOrDefault(upper.charAt(i + 1), 0) : 0;
            total += value < next ? -value : value;
        }
        // IIII, VX or IC add up to a number but are not how it is written
        if (total < 1 || total > 3999 || !toRoman(total).equals(upper)) {
            throw new IllegalArgumentException(text + " is not a canonical Roman numeral");
        }
        return total;
    }

    public static boolean isRoman(String text) {
        try {
            fromRoman(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
