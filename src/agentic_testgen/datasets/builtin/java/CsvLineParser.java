package atg.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * Parse one CSV line with a state machine: quoted fields, doubled quotes, a custom delimiter and
 * optional trimming of unquoted fields.
 */
public final class CsvLineParser {
    private enum State {
        START,
        UNQUOTED,
        QUOTED,
        QUOTE_IN_QUOTED
    }

    /** A malformed line; the column is where the problem was found. */
    public static final class CsvException extends IllegalArgumentException {
        private final int column;

        CsvException(String message, int column) {
            super(message + " at column " + column);
            this.column = column;
        }

        public int column() {
            return column;
        }
    }

    private final char delimiter;
    private final boolean trim;

    public CsvLineParser() {
        this(',', false);
    }

    public CsvLineParser(char delimiter, boolean trim) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("the delimiter cannot be a quote or a line break");
        }
        this.delimiter = delimiter;
        this.trim = trim;
    }

    public List<String> parse(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        State state = State.START;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            switch (state) {
                case START -> {
                    if (ch == '"') {
                        state = State.QUOTED;
                    } else if (ch == delimiter) {
                        fields.add("");
                    } else if (!(trim && ch == ' ')) {
                        field.append(ch);
                        state = State.UNQUOTED;
                    }
                }
                case UNQUOTED -> {
                    if (ch == delimiter) {
                        fields.add(finish(field, false));
                        state = State.START;
                    } else if (ch == '"') {
                        throw new CsvException("quote inside an unquoted field", i);
                    } else {
                        field.append(ch);
                    }
                }
                case QUOTED -> {
                    if (ch == '"') {
                        state = State.QUOTE_IN_QUOTED;
                    } else {
                        field.append(ch);
                    }
                }
                case QUOTE_IN_QUOTED -> {
                    if (ch == '"') {
                        field.append('"');
                        state = State.QUOTED;
                    } else if (ch == delimiter) {
                        fields.add(finish(field, true));
                        state = State.START;
                    } else if (!(trim && ch == ' ')) {
                        throw new CsvException("unexpected '" + ch + "' after a closing quote", i);
                    }
                }
            }
        }
        if (state == State.QUOTED) {
            throw new CsvException("unterminated quoted field", line.length());
        }
        fields.add(finish(field, state == State.QUOTE_IN_QUOTED));
        return fields;
    }

    private String finish(StringBuilder field, boolean quoted) {
        String text = field.toString();
        field.setLength(0);
        return trim && !quoted ? text.strip() : text;
    }

    /** The fields as one line, quoting only those that need it. */
    public String format(List<String> values) {
        List<String> out = new ArrayList<>(values.size());
        for (String value : values) {
            String text = value == null ? "" : value;
            boolean needsQuotes =
                    text.indexOf(delimiter) >= 0
                            || text.contains("\"")
                            || !text.equals(text.strip());
            out.add(needsQuotes ? '"' + text.replace("\"", "\"\"") + '"' : text);
        }
        return String.join(String.valueOf(delimiter), out);
    }
}
