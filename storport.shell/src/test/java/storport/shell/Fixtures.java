package storport.shell;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.Topology;

/** Real API hosts for the command tests, and output capture. */
final class Fixtures {
    private Fixtures() {
    }

    /** 80 processors: nodes 0 and 1 of 40 CPUs each, hence groups 0 (indexes 0-39) and 1 (40-79). */
    static Topology topology80() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int cpu = 0; cpu < 80; cpu++) {
            cpus.add(new LogicalCpu(cpu, cpu / 40, cpu / 40, (cpu % 40) / 2));
        }
        return Topology.of(cpus);
    }

    static MessageInterrupt message(Topology t, int id, String name, int irq, List<Integer> processors) {
        return new MessageInterrupt(id, 0x4000 + id, 0xfee00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, name, irq,
                t.affinities(processors), processors);
    }

    /**
     * nvme0 (alias 0000:00:02.0): message 0 is the admin queue (no targets, no IRQ), messages 1..32
     * each target the processors p with p*32/80 == m-1; sparse: message 1 serves processors 0-9
     * only, so 10-79 have no message.
     */
    static Host host() {
        Topology t = topology80();
        Adapter.Builder nvme = Adapter.builder("nvme0").aliases(List.of("0000:00:02.0")).node(0).driver("nvme")
                .policy("numa-spread").redirection(1, 32);
        nvme.message(message(t, 0, "nvme0q0", -1, List.of()));
        for (int m = 1; m <= 32; m++) {
            List<Integer> ps = new ArrayList<>();
            for (int p = 0; p < 80; p++) {
                if (p * 32 / 80 == m - 1) {
                    ps.add(p);
                }
            }
            nvme.message(message(t, m, "nvme0q" + m, 100 + m, ps));
        }
        Adapter.Builder sparse = Adapter.builder("sparse").redirection(1, 1);
        sparse.message(message(t, 0, "", -1, List.of()));
        sparse.message(message(t, 1, "sparse-io", -1, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        return new Host("sim", t, List.of(nvme.build(t), sparse.build(t)));
    }

    static StorPort storport(Host host) {
        return new StorPort() {
            @Override
            public String backend() {
                return host.backend();
            }

            @Override
            public Host host() {
                return host;
            }
        };
    }

    /**
     * What Gogo prints for {@code body}'s value (the value and a line break; nothing for no value),
     * and fails if the command also wrote to System.out itself: a command returns its output.
     */
    static String out(Supplier<?> body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Object value;
        try {
            value = body.get();
        } finally {
            System.setOut(saved);
        }
        assertEquals("nothing printed by the command itself", "", bytes.toString(StandardCharsets.UTF_8));
        return value == null ? "" : value + "\n";
    }

    /** The message of the StorPortException {@code body} throws; fails if it prints anything or succeeds. */
    static String error(Supplier<?> body) {
        String[] message = new String[1];
        String printed = out(() -> {
            try {
                return body.get();
            } catch (StorPortException e) {
                message[0] = e.getMessage();
                return null;
            }
        });
        if (message[0] == null) {
            throw new AssertionError("no StorPortException; printed: " + printed);
        }
        if (!printed.isEmpty()) {
            throw new AssertionError("a failing command printed: " + printed);
        }
        return message[0];
    }
}
