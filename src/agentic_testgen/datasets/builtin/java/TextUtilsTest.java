package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextUtilsTest {
    @Test
    void capitalizeUpperCasesTheFirstLetterOnly() {
        assertEquals("Hello world", TextUtils.capitalize("hello world"));
        assertEquals("", TextUtils.capitalize(""));
    }

    @Test
    void titleCaseKeepsRepeatedSpaces() {
        assertEquals("The Quick  Fox", TextUtils.titleCase("the QUICK  fox"));
    }

    @ParameterizedTest
    @CsvSource({
        "'Héllo, World!', hello-world",
        "'  --Java 17 -- release  ', java-17-release",
        "Already-a-slug, already-a-slug",
        "'!!!', ''",
    })
    void slugify(String text, String slug) {
        assertEquals(slug, TextUtils.slugify(text));
    }

    @ParameterizedTest
    @CsvSource({
        "short, 10, ..., short",
        "exact, 5, ..., exact",
        "The quick brown fox, 10, ..., The qui...",
        "The quick brown fox, 7, ..., The...",
        "abcdef, 4, ~, abc~",
        "abcdef, 2, ..., ..",
    })
    void truncate(String text, int maxLength, String ellipsis, String expected) {
        assertEquals(expected, TextUtils.truncate(text, maxLength, ellipsis));
    }

    @Test
    void truncateRejectsANegativeLimit() {
        assertThrows(IllegalArgumentException.class, () -> TextUtils.truncate("abc", -1, "..."));
    }

    @Test
    void countsWordsSeparatedByAnyWhitespace() {
        assertEquals(4, TextUtils.countWords(" one two\tthree\nfour "));
        assertEquals(0, TextUtils.countWords("   "));
    }

    @Test
    void palindromesIgnoreCaseAndPunctuation() {
        assertTrue(TextUtils.isPalindrome("A man, a plan, a canal: Panama"));
        assertTrue(TextUtils.isPalindrome(""));
        assertFalse(TextUtils.isPalindrome("palindrome"));
    }

    @Test
    void nullIsRejectedEverywhere() {
        assertThrows(IllegalArgumentException.class, () -> TextUtils.capitalize(null));
        assertThrows(IllegalArgumentException.class, () -> TextUtils.slugify(null));
        assertThrows(IllegalArgumentException.class, () -> TextUtils.countWords(null));
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> TextUtils.isPalindrome(null));
        assertEquals("text must not be null", error.getMessage());
    }
}
