package storport.view;

/**
 * A document the product shows, built once as a value from one snapshot: the shell prints its
 * {@link #text()} or its {@link #json()} ({@code --json}), the console serves the same
 * {@link #json()}. Two renderers of one document would drift; this is the only producer.
 */
public interface Document {
    /** One compact JSON document and a newline, as {@code --json} prints it and the console's API serves it. */
    String json();

    /** The shell's text form (tables with a header line, no trailing blanks), ending with a newline. */
    String text();
}
