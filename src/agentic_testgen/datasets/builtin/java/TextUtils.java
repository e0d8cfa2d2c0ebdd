package atg.examples;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Small string helpers: capitalization, slugs, truncation, word counts and palindromes. */
public final class TextUtils {
    private TextUtils() {}

    private static String require(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return text;
    }

    public static String capitalize(String text) {
        require(text);
        if (text.isEmpty()) {
            return text;
        }
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    /** Every word capitalized and the rest lower-cased; runs of spaces are kept. */
    public static String titleCase(String text) {
        return Arrays.stream(require(text).split(" ", -1))
                .map(word -> capitalize(word.toLowerCase(Locale.ROOT)))
                .collect(Collectors.joining(" "));
    }

    /** "Héllo, World!" becomes "hello-world". */
    public static String slugify(String text) {
        String plain =
                Normalizer.normalize(require(text), Normalizer.Form.NFKD)
                        .replaceAll("\\p{M}", "")
                        .toLowerCase(Locale.ROOT);
        return plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    public static String truncate(String text, int maxLength, String ellipsis) {
        require(text);
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative");
        }
        if (text.length() <= maxLength) {
            return text;
        }
        if (maxLength <= ellipsis.length()) {
            return ellipsis.substring(0, maxLength);
        }
        return text.substring(0, maxLength - ellipsis.length()).stripTrailing() + ellipsis;
    }

    public static int countWords(String text) {
        String trimmed = require(text).strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /** Letters and digits read the same both ways, ignoring case and everything else. */
    public static boolean isPalindrome(String text) {
        String kept = require(text).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
        int left = 0;
        int right = kept.length() - 1;
        while (left < right) {
            if (kept.charAt(left) != kept.charAt(right)) {
                return false;
            }
            left++;
            right--;
        }
        return true;
    }
}
