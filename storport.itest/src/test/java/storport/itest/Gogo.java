package storport.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/** Runs Gogo command lines through the real {@link CommandProcessor} and captures what they print. One per thread. */
final class Gogo implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CommandSession session;

    Gogo(CommandProcessor processor) {
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true));
    }

    /** What the shell shows for a line that must succeed: what it printed, then its value as Gogo prints one (and a line break). */
    String run(String line) throws Exception {
        out.reset();
        err.reset();
        Object result = session.execute(line);
        String printed = out.toString(StandardCharsets.UTF_8);
        return result == null ? printed : printed + session.format(result, Converter.INSPECT) + "\n";
    }

    /** The session, for a test that reads its variables. */
    CommandSession session() {
        return session;
    }

    /** The error message of a line that must fail. */
    String fail(String line) {
        out.reset();
        try {
            Object result = session.execute(line);
            throw new AssertionError("'" + line + "' should fail but printed: " + out.toString(StandardCharsets.UTF_8) + result);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    /** SCR registers command services asynchronously: wait until the storport scope has all of {@code functions}. */
    static void awaitCommands(BundleContext context, String... functions) throws InterruptedException, InvalidSyntaxException {
        long deadline = System.currentTimeMillis() + 30_000;
        for (String f : functions) {
            String filter = "(&(osgi.command.scope=storport)(osgi.command.function=" + f + "))";
            while (context.getServiceReferences((String) null, filter) == null) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("command storport:" + f + " was not registered within 30 s");
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
