package storport.terminal;

import java.nio.file.Path;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The interactive shell of {@code ./storport}: Felix Gogo's JLine shell ({@code gogo.jline}) with line
 * editing, a history kept in {@code $STORPORT_HOME/history}, and tab completion of command names
 * (storport's included), on this process's terminal.
 *
 * <p>The launcher runs it as the one-shot line {@code terminal:shell}, so the prompt comes once the
 * product is ready, as any line does (typed-ahead input then finds storport's commands). Gogo's JLine
 * shell needs its terminal in the session it runs in, which the one-shot runner's session has not: this
 * command opens the terminal and a session on it. Without a terminal (input from a pipe or a file) JLine
 * reads plain lines, without echo, as Gogo's plain shell does.
 */
@Component(service = TerminalShell.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=" + TerminalShell.SCOPE,
        CommandProcessor.COMMAND_FUNCTION + "=shell" })
public class TerminalShell {
    static final String SCOPE = "terminal";
    /** gogo.jline's session variable for the terminal its shell reads (Shell.VAR_TERMINAL). */
    static final String TERMINAL_VARIABLE = ".terminal";
    /** The history's file, in the product's home: the user's own, next to the configuration. */
    static final String HISTORY_FILE = "history";

    private final CommandProcessor processor;
    private final Path home;

    @Activate
    public TerminalShell(@Reference CommandProcessor processor, BundleContext context) {
        this.processor = processor;
        String dir = context.getProperty("storport.home");
        this.home = dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /**
     * The process's terminal, or a plain line reader where input is a pipe or a file ({@code dumb}:
     * without JLine's warning). JLine finds its terminal providers through the thread's context class
     * loader, which in a framework is not the one that sees JLine's resources: without this, every
     * terminal would be a dumb one.
     */
    private static Terminal openTerminal() throws java.io.IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TerminalBuilder.class.getClassLoader());
        try {
            return TerminalBuilder.builder().name("storport").system(true).dumb(true)
                    .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Descriptor("runs the interactive shell on this process's terminal (line editing, history, tab completion) until end of input")
    public Object shell() throws Exception {
        try (Terminal terminal = openTerminal();
                CommandSession session = processor.createSession(terminal.input(), terminal.output(), terminal.output())) {
            session.put(TERMINAL_VARIABLE, terminal);
            // --nohistory keeps gosh from choosing ~/.gogo.history; the reader takes this file from the session
            if (home != null) {
                session.put(LineReader.HISTORY_FILE, home.resolve(HISTORY_FILE));
            }
            session.execute("gosh --login --noshutdown" + (home != null ? " --nohistory" : ""));
            return null; // the shell printed what it had to; nothing more when it ends
        }
    }
}
