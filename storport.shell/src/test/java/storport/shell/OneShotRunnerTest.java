package storport.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;

import storport.api.StorPortException;
import storport.shell.OneShotRunner.Registered;

public class OneShotRunnerTest {
    private static final InputStream NO_INPUT = new ByteArrayInputStream(new byte[0]);

    @Test
    public void statementsOfALine() {
        assertEquals(List.of("msgid nvme0 3", "storport:map nvme0"), OneShotRunner.statements("msgid nvme0 3 ; storport:map nvme0"));
        assertEquals(List.of("adapters | grep nvme"), OneShotRunner.statements("adapters | grep nvme"));
        assertEquals(List.of("sim-host 'node:2; core:8'", "topology --json"), OneShotRunner.statements("sim-host 'node:2; core:8' ; topology --json"));
        assertEquals(List.of("echo \"a ; b \\\" ; c\""), OneShotRunner.statements("echo \"a ; b \\\" ; c\""));
        assertEquals(List.of("each [1 2] { msgid nvme0 $it ; topology }", "x = 1"),
                OneShotRunner.statements("each [1 2] { msgid nvme0 $it ; topology }\nx = 1 ;;"));
        assertEquals(List.of(), OneShotRunner.statements(" ; \n "));
    }

    @Test
    public void commandNamesOfALine() {
        assertEquals(List.of("msgid", "storport:map"), OneShotRunner.commandNames("msgid nvme0 3 ; storport:map nvme0"));
        assertEquals(List.of("adapters", "grep"), OneShotRunner.commandNames("adapters | grep nvme"));
        assertEquals("quoted separators are not separators", List.of("sim-host", "topology"),
                OneShotRunner.commandNames("sim-host 'node:2; core:8' ; topology --json"));
        assertEquals(List.of("echo"), OneShotRunner.commandNames("echo \"a | b \\\" ; c\""));
        assertEquals("assignments, variables and literals are no commands", List.of("msgid"),
                OneShotRunner.commandNames("x = 3 ; $x ; msgid nvme0 $x ; true"));
        assertEquals("closures hold commands too", List.of("each", "msgid"),
                OneShotRunner.commandNames("each [0 1] { msgid nvme0 $it }"));
        assertEquals(List.of("adapters"), OneShotRunner.commandNames("  adapters  ;; adapters\n"));
        assertEquals(List.of(), OneShotRunner.commandNames(" ; "));
        assertEquals("our commands named as arguments", List.of("help", "storport:map"), OneShotRunner.commandNames("help storport:map"));
        assertEquals(List.of("sim-host"), OneShotRunner.commandNames("sim-host node:2 core:8"));
    }

    @Test
    public void providesMatchesScopeAndFunction() {
        Registered sim = new Registered("storport", new String[] { "sim-host", "sim-adapter" });
        Registered single = new Registered("storport", "topology");
        Registered listed = new Registered("felix", List.of("help", "lb"));
        assertTrue(OneShotRunner.provides(sim, "sim-host"));
        assertTrue(OneShotRunner.provides(sim, "storport:sim-adapter"));
        assertTrue(OneShotRunner.provides(sim, "STORPORT:SIM-HOST"));
        assertFalse(OneShotRunner.provides(sim, "felix:sim-host"));
        assertFalse(OneShotRunner.provides(sim, "sim"));
        assertTrue(OneShotRunner.provides(single, "topology"));
        assertTrue(OneShotRunner.provides(listed, "felix:lb"));
        assertEquals(List.of("msgid", "gogo:echo"),
                OneShotRunner.missing(List.of("topology", "msgid", "help", "gogo:echo"), List.of(sim, single, listed)));
    }

    @Test
    public void awaitsUntilCommandsAreRegistered() {
        List<Registered> registry = new CopyOnWriteArrayList<>();
        int[] polls = { 0 };
        assertTrue(OneShotRunner.await(() -> {
            if (++polls[0] == 3) {
                registry.add(new Registered("storport", "msgid"));
            }
            return registry;
        }, List.of("msgid"), () -> true, new Object(), 10_000));
        assertEquals(3, polls[0]);
        int[] settledPolls = { 0 };
        assertTrue("and for the product to be ready", OneShotRunner.await(() -> registry, List.of("msgid"), () -> ++settledPolls[0] == 4,
                new Object(), 10_000));
        assertEquals(4, settledPolls[0]);
        long start = System.nanoTime();
        assertTrue("gives up after the timeout and lets Gogo report it", OneShotRunner.await(List::of, List.of("nope"), () -> true, new Object(),
                200));
        assertTrue(System.nanoTime() - start >= 200_000_000L);
    }

    @Test
    public void exitCodeAndMessageOfAFailingLine() {
        CommandProcessor processor = processor(line -> {
            throw StorPortException.invalidParameter("processor index 80 is outside 0..79");
        });
        int[] code = { -1 };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new OneShotRunner(c -> code[0] = c).runAndExit(() -> List.of(new Registered("storport", "msgid")), () -> true, new Object(), processor,
                "msgid nvme0 80", NO_INPUT, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code[0]);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void exitCodeOfASucceedingLine() {
        List<String> executed = new ArrayList<>();
        CommandProcessor processor = processor(line -> {
            executed.add(line);
            return null;
        });
        int[] code = { -1 };
        new OneShotRunner(c -> code[0] = c).runAndExit(() -> List.of(new Registered("storport", "topology")), () -> true, new Object(), processor,
                "topology", NO_INPUT, System.out, System.err);
        assertEquals(0, code[0]);
        assertEquals(List.of("topology"), executed);
    }

    @Test
    public void printsANonNullResult() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OneShotRunner.execute(processor(line -> "result of " + line), "x", new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        assertEquals("result of x" + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void interruptedWhileWaitingDoesNotExit() throws Exception {
        int[] code = { -1 };
        OneShotRunner runner = new OneShotRunner(c -> code[0] = c);
        Thread t = new Thread(() -> runner.runAndExit(List::of, () -> true, new Object(), processor(line -> null), "msgid nvme0 0", NO_INPUT,
                System.out, System.err));
        t.start();
        Thread.sleep(100);
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive());
        assertEquals(-1, code[0]);
    }

    @Test
    public void messageUnwrapsGogosWrappedErrors() {
        assertEquals("java.lang.StackOverflowError",
                OneShotRunner.message(new java.lang.reflect.InvocationTargetException(new StackOverflowError())));
        assertEquals("STOR_STATUS_BUSY: x", OneShotRunner.message(new StorPortException(storport.api.StorStatus.BUSY, "x")));
        assertEquals("java.lang.IllegalStateException", OneShotRunner.message(new IllegalStateException()));
    }

    /** A CommandProcessor whose sessions run {@code body} on execute and format results with toString. */
    private static CommandProcessor processor(Function<String, Object> body) {
        CommandSession session = (CommandSession) Proxy.newProxyInstance(OneShotRunnerTest.class.getClassLoader(),
                new Class<?>[] { CommandSession.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "execute" -> body.apply(args[0].toString());
                    case "format" -> String.valueOf(args[0]);
                    default -> null;
                });
        return new CommandProcessor() {
            @Override
            public CommandSession createSession(InputStream in, OutputStream out, OutputStream err) {
                return session;
            }

            @Override
            public CommandSession createSession(CommandSession parent) {
                return session;
            }
        };
    }
}
