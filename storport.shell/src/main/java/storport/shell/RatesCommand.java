package storport.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.InterruptCounts;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Rates;

/**
 * {@code rates ADAPTER [--seconds S] [--json]}: the adapter's interrupts per message and CPU over
 * S seconds, and per second, with the {@code irq-elsewhere} findings (DESIGN sections 5 and 8).
 * Reads that adapter's counters twice, S seconds apart, from whichever backend is active.
 */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = { "rates" })
public class RatesCommand {
    static final double MAX_SECONDS = 3600;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    @Descriptor("interrupts per message and CPU of one adapter over an interval, and per second (native: /sys/kernel/irq/<irq>/per_cpu_count;"
            + " sim: its load model), with irq-elsewhere findings")
    public String rates(
            @Descriptor("print one JSON document instead of a table") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the interval in seconds, 0.1 to 3600 (default 1)") @Parameter(names = "--seconds", absentValue = "1") String seconds,
            @Descriptor("adapter id or alias, e.g. nvme0 or vda") String adapter) {
        long millis = millis(seconds);
        return Shell.result(() -> {
            StorPort s = Shell.backend(storport);
            InterruptCounts before = s.interruptCounts(adapter);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorPortException(StorStatus.UNSUCCESSFUL, "interrupted before the interval ended");
            }
            return AdapterCommands.render(Rates.of(before, s.interruptCounts(adapter)), json);
        });
    }

    static long millis(String seconds) {
        double s;
        try {
            s = Double.parseDouble(seconds.trim());
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s >= 0.1 && s <= MAX_SECONDS)) {
            throw StorPortException.invalidParameter("--seconds takes a number of seconds from 0.1 to 3600, not '" + seconds + "'");
        }
        return Math.round(s * 1000);
    }
}
