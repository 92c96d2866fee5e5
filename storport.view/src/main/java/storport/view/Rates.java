package storport.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import storport.api.Adapter;
import storport.api.InterruptCounts;
import storport.api.MessageInterrupt;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;

/**
 * Interrupts per message and CPU between two readings of an adapter's counters, and per second,
 * with the {@code irq-elsewhere} findings they show (DESIGN sections 5 and 8):
 * {@code {"backend":"native","adapter":"0000:00:02.0","seconds":2.0,"source":"per_cpu_count","messages":[{"id":1,
 * "total":5120,"perSecond":2560.0,"cpus":[{"cpu":1,"index":1,"count":5120}]}],"findings":[...]}}; CPUs that
 * counted nothing are left out.
 *
 * @param seconds  the interval between the readings
 * @param source   where the counts came from ({@code per_cpu_count}, {@code /proc/interrupts}, {@code load model})
 * @param messages every message of the adapter, ascending by id
 * @param findings {@code irq-elsewhere}: interrupts counted outside a message's handling CPUs
 */
public record Rates(String backend, String adapter, double seconds, String source, List<MessageRate> messages,
        List<Findings.Finding> findings) implements Document {

    /** One message's interrupts in the interval: in all, per second, and on each CPU that counted some. */
    public record MessageRate(int id, long total, double perSecond, List<CpuCount> cpus) {
        public MessageRate {
            cpus = List.copyOf(cpus);
        }
    }

    /** Interrupts counted on one CPU: its OS number and processor index. */
    public record CpuCount(int cpu, int index, long count) {
    }

    public Rates {
        messages = List.copyOf(messages);
        findings = List.copyOf(findings);
    }

    /**
     * The rates between two readings of one adapter, the later one's snapshot naming the processors.
     * A counter that went down (the IRQ was freed and allocated again) counts from zero.
     *
     * @throws StorPortException UNSUCCESSFUL when the adapter or its host changed shape between the readings
     */
    public static Rates of(InterruptCounts before, InterruptCounts after) {
        Adapter a = after.host().adapter(after.adapter());
        Adapter was = before.host().find(before.adapter());
        Topology t = after.host().topology();
        if (was == null || !was.id().equals(a.id()) || was.messageCount() != a.messageCount()
                || before.host().topology().processorCount() != t.processorCount()) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "adapter " + a.id() + " or its host changed during the interval; run again");
        }
        double seconds = Math.max(1e-9, (after.nanoTime() - before.nanoTime()) / 1e9);
        List<MessageRate> rates = new ArrayList<>(a.messageCount());
        List<Findings.Finding> findings = new ArrayList<>();
        for (MessageInterrupt m : a.messages()) {
            List<CpuCount> cpus = new ArrayList<>();
            long total = 0;
            for (int p = 0; p < t.processorCount(); p++) {
                long now = after.count(m.messageId(), p);
                long then = before.count(m.messageId(), p);
                long delta = now >= then ? now - then : now;
                if (delta > 0) {
                    cpus.add(new CpuCount(t.processor(p).cpu(), p, delta));
                    total += delta;
                }
            }
            rates.add(new MessageRate(m.messageId(), total, total / seconds, cpus));
            Findings.Finding elsewhere = Findings.irqElsewhere(a, m, cpus.stream().map(CpuCount::index).toList());
            if (elsewhere != null) {
                findings.add(elsewhere);
            }
        }
        return new Rates(after.host().backend(), a.id(), seconds, after.source(), rates, findings);
    }

    @Override
    public String json() {
        Json j = new Json().object().field("backend", backend).field("adapter", adapter).field("seconds", seconds).field("source", source)
                .name("messages").array();
        for (MessageRate m : messages) {
            j.object().field("id", m.id()).field("total", m.total()).field("perSecond", m.perSecond()).name("cpus").array();
            for (CpuCount c : m.cpus()) {
                j.object().field("cpu", c.cpu()).field("index", c.index()).field("count", c.count()).end();
            }
            j.end().end();
        }
        j.end().name("findings");
        return Documents.findingsJson(j, findings).end() + "\n";
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder("adapter " + adapter + ": interrupts in " + String.format(Locale.ROOT, "%.1f", seconds)
                + " s (" + source + ")\n");
        Table table = new Table("MESSAGE", "TOTAL", "PER-SECOND", "CPU:COUNT");
        for (MessageRate m : messages) {
            List<String> cpus = m.cpus().stream().map(c -> c.cpu() + ":" + c.count()).toList();
            table.row(m.id(), m.total(), String.format(Locale.ROOT, "%.1f", m.perSecond()), cpus.isEmpty() ? "-" : String.join(",", cpus));
        }
        sb.append(table);
        if (!findings.isEmpty()) {
            sb.append(new Documents.FindingsView(backend, findings).text());
        }
        return sb.toString();
    }
}
