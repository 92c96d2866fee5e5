package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The interactive shell on a real terminal (issue 13, part 4): the launcher runs under util-linux
 * {@code script}, which gives it a pseudo-terminal, as a user's terminal emulator does; keys are typed
 * into it and the screen is read back. Tab completes a storport command's name, backspace edits the line,
 * the history survives the process (kept in {@code STORPORT_HOME/history}) and the up arrow recalls it,
 * Ctrl-D ends the shell with exit code 0. The answer is checked against the one-shot run's.
 */
public class TerminalIT {
    /** CSI and the keypad-mode escapes JLine writes: what remains is the text a user reads. */
    private static final Pattern ESCAPES = Pattern.compile("\u001b(\\[[0-9;?]*[A-Za-z~]|[=>])");
    /** The cursor-up key as the terminal sends it in the keypad mode JLine switches on (xterm's kcuu1). */
    private static final String UP = "\u001bOA";

    @Test
    public void tabCompletesEditsAndTheHistoryOutlivesTheProcess() throws Exception {
        Path home = StorportOptions.freshDir("TerminalIT-home");
        LauncherIT.freshHome();
        LauncherIT.Run oneShot = LauncherIT.storportWith(java.util.Map.of("STORPORT_HOME", home.toString()), "", "storport:msgid nvme0 5");
        assertEquals(oneShot.err(), 0, oneShot.exit());
        String answer = oneShot.out().trim();
        assertTrue(answer, answer.matches("\\d+"));

        try (Screen s = new Screen(home)) {
            s.waitFor("g! ");
            s.type("storport:msgi\t");
            s.waitFor("storport:msgid");
            s.type("nvme0 55\u007f\r"); // 55, one backspace: 5
            s.waitFor("\n" + answer + "\n");
            s.type("\u0004");
            assertEquals("Ctrl-D ends the shell: " + s.text(), 0, s.exit());
        }
        String history = Files.readString(home.resolve("history"));
        assertTrue(history, history.contains("storport:msgid nvme0 5\n"));

        try (Screen s = new Screen(home)) {
            s.waitFor("g! ");
            s.type(UP);
            s.waitFor("storport:msgid nvme0 5");
            int before = s.count("\n" + answer + "\n");
            s.type("\r");
            s.waitFor(() -> s.count("\n" + answer + "\n") > before, "the recalled line's answer " + answer);
            s.type("\u0004");
            assertEquals(s.text(), 0, s.exit());
        }
    }

    /** The launcher on a pseudo-terminal of 120 x 40 (script makes one; a terminal has a size, a bare pty has none). */
    private static final class Screen implements AutoCloseable {
        private final Process process;
        private final OutputStream keys;
        private final StringBuilder raw = new StringBuilder();
        private final Thread reader;

        Screen(Path home) throws IOException {
            String launcher = System.getProperty("storport.launcher");
            ProcessBuilder pb = new ProcessBuilder("script", "-qfec", "stty cols 120 rows 40; exec '" + launcher + "'", "/dev/null");
            pb.environment().put("STORPORT_HOME", home.toString());
            pb.environment().put("STORPORT_CONSOLE_PORT", String.valueOf(ConsoleProduct.freePort()));
            pb.environment().put("TERM", "xterm");
            pb.redirectErrorStream(true);
            process = pb.start();
            keys = process.getOutputStream();
            InputStream screen = process.getInputStream();
            reader = new Thread(() -> {
                byte[] b = new byte[4096];
                try {
                    for (int n; (n = screen.read(b)) > 0;) {
                        synchronized (raw) {
                            raw.append(new String(b, 0, n, StandardCharsets.UTF_8));
                            raw.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "terminal-screen");
            reader.start();
        }

        void type(String s) throws IOException {
            keys.write(s.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        /** What a user reads: escapes out, line ends as \n. */
        String text() {
            synchronized (raw) {
                return ESCAPES.matcher(raw).replaceAll("").replace("\r\n", "\n").replace("\r", "");
            }
        }

        int count(String s) {
            String t = text();
            int n = 0;
            for (int i = t.indexOf(s); i >= 0; i = t.indexOf(s, i + 1)) {
                n++;
            }
            return n;
        }

        void waitFor(String s) throws InterruptedException {
            waitFor(() -> text().contains(s), "'" + s + "'");
        }

        void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            synchronized (raw) {
                while (!condition.getAsBoolean()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                        throw new AssertionError("no " + what + " on the screen:\n" + text());
                    }
                    raw.wait(Math.min(left, 200));
                }
            }
        }

        int exit() throws InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the shell did not end:\n" + text());
            }
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
