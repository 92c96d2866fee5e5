package storport.view;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer for the {@code --json} outputs: compact, one document, strings
 * escaped per RFC 8259. The one JSON writer of the product: every document the shell prints and the console serves is written by it (storport.view, inlined into both).
 */
public final class Json {
    private final StringBuilder out = new StringBuilder();
    private final Deque<Character> closers = new ArrayDeque<>();
    private boolean needComma;
    private boolean afterName;

    public Json object() {
        return open('{', '}');
    }

    public Json array() {
        return open('[', ']');
    }

    /** Closes the innermost object or array. */
    public Json end() {
        out.append(closers.pop());
        // the closed container is itself a value of its parent, so the parent's next value needs a comma
        needComma = true;
        return this;
    }

    public Json name(String name) {
        beforeValue();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public Json value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public Json value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    public Json value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /** A number, or null when absent. */
    public Json value(Integer value) {
        beforeValue();
        out.append(value == null ? "null" : value.toString());
        return this;
    }

    /** A finite number, to one decimal place (rates): {@code 2560.0}. */
    public Json value(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no " + value);
        }
        beforeValue();
        out.append(Math.round(value * 10) / 10.0);
        return this;
    }

    public Json field(String name, double value) {
        return name(name).value(value);
    }

    public Json field(String name, String value) {
        return name(name).value(value);
    }

    public Json field(String name, long value) {
        return name(name).value(value);
    }

    public Json field(String name, Integer value) {
        return name(name).value(value);
    }

    public Json field(String name, boolean value) {
        return name(name).value(value);
    }

    private Json open(char open, char close) {
        beforeValue();
        out.append(open);
        closers.push(close);
        needComma = false;
        return this;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (needComma) {
            out.append(',');
        }
        needComma = true;
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // control characters must be escaped; U+2028/2029 too, so the output is also valid JavaScript
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The document; throws if an object or array is still open. */
    @Override
    public String toString() {
        if (!closers.isEmpty()) {
            throw new IllegalStateException("unclosed JSON: " + out);
        }
        return out.toString();
    }
}
