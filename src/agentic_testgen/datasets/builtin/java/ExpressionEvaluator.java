package atg.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Arithmetic expressions: a tokenizer, a recursive-descent parser building a tree of records, and
 * an evaluator with variables and a few functions. Errors carry their position.
 *
 * <pre>
 *   expr  := term (('+' | '-') term)*
 *   term  := unary (('*' | '/' | '%') unary)*
 *   unary := ('-' | '+') unary | power
 *   power := atom ('^' unary)?             right-associative: 2^3^2 = 2^9
 *   atom  := NUMBER | NAME | NAME '(' args? ')' | '(' expr ')'
 * </pre>
 */
public final class ExpressionEvaluator {
    /** A problem in an expression, at a position of its text. */
    public static final class ExpressionException extends IllegalArgumentException {
        private final int position;

        ExpressionException(String message, int position) {
            super(message + " at position " + position);
            this.position = position;
        }

        public int position() {
            return position;
        }
    }

    enum Kind {
        NUMBER,
        NAME,
        OPERATOR,
        END
    }

    record Token(Kind kind, String text, int position) {}

    /** A node of the parsed tree. */
    public sealed interface Node permits Num, Var, Unary, Binary, Call {}

    public record Num(double value) implements Node {}

    public record Var(String name, int position) implements Node {}

    public record Unary(char operator, Node operand) implements Node {}

    public record Binary(char operator, Node left, Node right, int position) implements Node {}

    public record Call(String name, List<Node> args, int position) implements Node {}

    private ExpressionEvaluator() {}

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            int start = i;
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (Character.isDigit(ch) || ch == '.') {
                while (i < text.length()
                        && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                String number = text.substring(start, i);
                if (number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                    throw new ExpressionException("bad number " + number, start);
                }
                tokens.add(new Token(Kind.NUMBER, number, start));
            } else if (Character.isLetter(ch) || ch == '_') {
                while (i < text.length()
                        && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(Kind.NAME, text.substring(start, i), start));
            } else if ("+-*/%^(),".indexOf(ch) >= 0) {
                tokens.add(new Token(Kind.OPERATOR, String.valueOf(ch), start));
                i++;
            } else {
                throw new ExpressionException("unexpected character '" + ch + "'", i);
            }
        }
        tokens.add(new Token(Kind.END, "", text.length()));
        return tokens;
    }

    public static Node parse(String text) {
        Parser parser = new Parser(tokenize(text));
        Node tree = parser.expression();
        Token left = parser.peek();
        if (left.kind() != Kind.END) {
            throw new ExpressionException("unexpected '" + left.text() + "'", left.position());
        }
        return tree;
    }

    public static double evaluate(String text, Map<String, Double> variables) {
        return evaluate(parse(text), variables);
    }

    public static double evaluate(Node node, Map<String, Double> variables) {
        if (node instanceof Num num) {
            return num.value();
        }
        if (node instanceof Var variable) {
            Double value = variables.get(variable.name());
            if (value == null) {
                throw new ExpressionException(
                        "unknown variable " + variable.name(), variable.position());
            }
            return value;
        }
        if (node instanceof Unary unary) {
            double value = evaluate(unary.operand(), variables);
            return unary.operator() == '-' ? -value : value;
        }
        if (node instanceof Call call) {
            return callFunction(call, variables);
        }
        Binary binary = (Binary) node;
        double left = evaluate(binary.left(), variables);
        double right = evaluate(binary.right(), variables);
        return switch (binary.operator()) {
            case '+' -> left + right;
            case '-' -> left - right;
            case '*' -> left * right;
            case '^' -> Math.pow(left, right);
            default -> {
                if (right == 0) {
                    throw new ExpressionException("division by zero", binary.position());
                }
                yield binary.operator() == '/' ? left / right : left % right;
            }
        };
    }

    private static double callFunction(Call call, Map<String, Double> variables) {
        double[] args = call.args().stream().mapToDouble(arg -> evaluate(arg, variables)).toArray();
        int count = args.length;
        switch (call.name()) {
            case "abs", "sqrt" -> {
                if (count != 1) {
                    throw new ExpressionException(
                            call.name() + " takes 1 argument", call.position());
                }
                return call.name().equals("abs") ? Math.abs(args[0]) : Math.sqrt(args[0]);
            }
            case "min", "max" -> {
                if (count == 0) {
                    throw new ExpressionException(
                            call.name() + " takes at least 1 argument", call.position());
                }
                double result = args[0];
                for (double arg : args) {
                    result =
                            call.name().equals("min")
                                    ? Math.min(result, arg)
                                    : Math.max(result, arg);
                }
                return result;
            }
            default ->
                    throw new ExpressionException(
                            "unknown function " + call.name(), call.position());
        }
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int index;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        Token peek() {
            return tokens.get(index);
        }

        private boolean isOperator(String text) {
            return peek().kind() == Kind.OPERATOR && peek().text().equals(text);
        }

        private Token next() {
            return tokens.get(index++);
        }

        private void expect(String text) {
            if (!isOperator(text)) {
                throw new ExpressionException("expected '" + text + "'", peek().position());
            }
            next();
        }

        Node expression() {
            Node left = term();
            while (isOperator("+") || isOperator("-")) {
                Token op = next();
                left = new Binary(op.text().charAt(0), left, term(), op.position());
            }
            return left;
        }

        private Node term() {
            Node left = unary();
            while (isOperator("*") || isOperator("/") || isOperator("%")) {
                Token op = next();
                left = new Binary(op.text().charAt(0), left, unary(), op.position());
            }
            return left;
        }

        private Node unary() {
            if (isOperator("-") || isOperator("+")) {
                return new Unary(next().text().charAt(0), unary());
            }
            Node base = atom();
            if (isOperator("^")) {
                Token op = next();
                return new Binary('^', base, unary(), op.position());
            }
            return base;
        }

        private Node atom() {
            Token token = next();
            switch (token.kind()) {
                case NUMBER -> {
                    return new Num(Double.parseDouble(token.text()));
                }
                case NAME -> {
                    if (!isOperator("(")) {
                        return new Var(token.text(), token.position());
                    }
                    next();
                    List<Node> args = new ArrayList<>();
                    if (!isOperator(")")) {
                        args.add(expression());
                        while (isOperator(",")) {
                            next();
                            args.add(expression());
                        }
                    }
                    expect(")");
                    return new Call(token.text(), List.copyOf(args), token.position());
                }
                case OPERATOR -> {
                    if (token.text().equals("(")) {
                        Node inner = expression();
                        expect(")");
                        return inner;
                    }
                    throw new ExpressionException(
                            "unexpected '" + token.text() + "'", token.position());
                }
                default ->
                        throw new ExpressionException("unexpected end of input", token.position());
            }
        }
    }
}
