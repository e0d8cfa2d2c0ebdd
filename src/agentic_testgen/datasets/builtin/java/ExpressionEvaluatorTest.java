package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atg.examples.ExpressionEvaluator.ExpressionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

class ExpressionEvaluatorTest {
    private static double eval(String text) {
        return ExpressionEvaluator.evaluate(text, Map.of());
    }

    @ParameterizedTest
    @CsvSource({
        "1 + 2 * 3, 7",
        "(1 + 2) * 3, 9",
        "10 - 4 - 3, 3",
        "20 / 4 / 5, 1",
        "17 % 5, 2",
        "2 ^ 3 ^ 2, 512",
        "-2 ^ 2, -4",
        "2 ^ -1, 0.5",
        "+-+3, -3",
        ".5 + 1.25, 1.75",
        "'max(1, 7, 3) + min(4, 2)', 9",
        "abs(-3) + sqrt(16), 7",
    })
    void evaluatesWithPrecedence(String text, double expected) {
        assertEquals(expected, eval(text), 1e-12);
    }

    @Test
    void usesVariables() {
        assertEquals(
                10.0, ExpressionEvaluator.evaluate("x * x + y_2", Map.of("x", 3.0, "y_2", 1.0)));
    }

    @Test
    void parsesOnceAndEvaluatesManyTimes() {
        ExpressionEvaluator.Node area = ExpressionEvaluator.parse("w * h");
        assertEquals(6.0, ExpressionEvaluator.evaluate(area, Map.of("w", 2.0, "h", 3.0)));
        assertEquals(25.0, ExpressionEvaluator.evaluate(area, Map.of("w", 5.0, "h", 5.0)));
    }

    @Test
    void buildsATreeOfRecords() {
        assertEquals(
                new ExpressionEvaluator.Unary('-', new ExpressionEvaluator.Var("a", 1)),
                ExpressionEvaluator.parse("-a"));
        assertEquals(
                new ExpressionEvaluator.Call("f", List.of(), 0), ExpressionEvaluator.parse("f()"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1 + z | unknown variable z at position 4",
                "'  log(2)' | unknown function log at position 2",
                "abs(1, 2) | abs takes 1 argument at position 0",
                "max() | max takes at least 1 argument at position 0",
                "1 / (2 - 2) | division by zero at position 2",
                "1 % 0 | division by zero at position 2",
                "(1 + 2 | expected ')' at position 6",
                "max(1, 2 | expected ')' at position 8",
                "1 + | unexpected end of input at position 3",
                "'' | unexpected end of input at position 0",
                "1 * * 2 | unexpected '*' at position 4",
                "1 2 | unexpected '2' at position 2",
                "(1)) | unexpected ')' at position 3",
                "1 $ 2 | unexpected character '$' at position 2",
                "1.2.3 | bad number 1.2.3 at position 0",
                ". | bad number . at position 0",
            })
    void errorsSayWhatAndWhere(String text, String message) {
        ExpressionException error = assertThrows(ExpressionException.class, () -> eval(text));
        assertEquals(message, error.getMessage());
    }

    @Test
    void errorsKeepTheirPosition() {
        ExpressionException error =
                assertThrows(ExpressionException.class, () -> eval("2 * unknown"));
        assertEquals(4, error.position());
    }
}
