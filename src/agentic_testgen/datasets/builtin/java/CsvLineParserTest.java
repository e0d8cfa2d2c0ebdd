package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

class CsvLineParserTest {
    private final CsvLineParser parser = new CsvLineParser();

    @Test
    void splitsPlainFields() {
        assertEquals(List.of("a", "b", "c"), parser.parse("a,b,c"));
    }

    @Test
    void emptyLineAndEmptyFields() {
        assertEquals(List.of(""), parser.parse(""));
        assertEquals(List.of("", "x", ""), parser.parse(",x,"));
    }

    @Test
    void quotedFieldsKeepDelimitersAndDoubledQuotes() {
        assertEquals(List.of("x", "a, \"b\"", "y"), parser.parse("x,\"a, \"\"b\"\"\",y"));
        assertEquals(List.of(""), parser.parse("\"\""));
    }

    @Test
    void customDelimiter() {
        CsvLineParser semicolons = new CsvLineParser(';', false);
        assertEquals(List.of("1", "2;3", "4"), semicolons.parse("1;\"2;3\";4"));
    }

    @Test
    void trimStripsUnquotedFieldsOnly() {
        CsvLineParser trimming = new CsvLineParser(',', true);
        assertEquals(List.of("a", " b ", "c"), trimming.parse(" a , \" b \" ,c "));
        assertEquals(List.of(" a ", " b"), parser.parse(" a , b"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "a,\"open | 7",
                "ab\"c | 2",
                "\"a\"b,c | 3",
                "\"a\" ,c | 3",
            })
    void malformedLinesNameTheColumn(String line, int column) {
        CsvLineParser.CsvException error =
                assertThrows(CsvLineParser.CsvException.class, () -> parser.parse(line));
        assertEquals(column, error.column());
    }

    @Test
    void messagesSayWhatIsWrong() {
        CsvLineParser.CsvException error =
                assertThrows(CsvLineParser.CsvException.class, () -> parser.parse("\"a\"b"));
        assertEquals("unexpected 'b' after a closing quote at column 3", error.getMessage());
    }

    @Test
    void rejectsQuoteAndLineBreakDelimiters() {
        assertThrows(IllegalArgumentException.class, () -> new CsvLineParser('"', false));
        assertThrows(IllegalArgumentException.class, () -> new CsvLineParser('\n', false));
        assertThrows(IllegalArgumentException.class, () -> new CsvLineParser('\r', false));
    }

    @Test
    void formatQuotesOnlyWhatNeedsIt() {
        List<String> values = Arrays.asList("a", "b,c", "say \"hi\"", " pad", null, "3");
        assertEquals("a,\"b,c\",\"say \"\"hi\"\"\",\" pad\",,3", parser.format(values));
    }

    @Test
    void formatAndParseRoundTrip() {
        CsvLineParser semicolons = new CsvLineParser(';', false);
        List<String> values = List.of("x;y", "\"", "", "plain");
        assertEquals(values, semicolons.parse(semicolons.format(values)));
    }
}
