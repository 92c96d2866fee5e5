package storport.sim;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.util.Collections;
import java.util.List;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.MessageInterrupt;
import storport.api.StorPort;

/**
 * The simulator as a {@link StorPort} backend. Consumers reach it through the backend selector's
 * dispatch, which switches between backends in memory; the simulator's state lives in
 * {@link SimModel}.
 */
@Component(property = StorPort.BACKEND + "=" + SimHostFactory.BACKEND)
public class SimBackend implements StorPort {

    /** The load model's rate: I/O completions per second each processor causes. */
    static final long LOAD_PER_PROCESSOR = 1000;

    /** Final: a call still running on this instance while SCR deactivates it keeps a model to answer from. */
    private final SimModel model;
    /** The load model runs from here. */
    private final long started = System.nanoTime();

    @Activate
    public SimBackend(@Reference SimModel model) {
        this.model = model;
    }


    @Override
    public String backend() {
        return SimHostFactory.BACKEND;
    }

    @Override
    public Host host() {
        return model.host();
    }

    /**
     * The load model: since this backend started, every processor has submitted
     * {@value #LOAD_PER_PROCESSOR} I/Os a second, each completing with one interrupt of the message
     * that serves it, counted on the submitting processor when it is one of that message's handling
     * CPUs (effective affinity, else targets), else on the first of them. A processor without a
     * message submits nothing. The counts assume the current map has held all along.
     */
    @Override
    public InterruptCounts interruptCounts(String adapter) {
        Host host = model.host();
        Adapter a = host.adapter(adapter);
        long now = System.nanoTime();
        long perProcessor = (now - started) / 1_000_000 * LOAD_PER_PROCESSOR / 1000;
        int n = host.topology().processorCount();
        long[][] counts = new long[a.messageCount()][n];
        for (int p = 0; p < n; p++) {
            int m = a.messageOf(p);
            if (m < 0) {
                continue;
            }
            MessageInterrupt message = a.message(m);
            List<Integer> handling = message.effective().isEmpty() ? message.processors() : message.effective();
            if (!handling.isEmpty()) {
                // handling lists are ascending: a binary search, not a scan (win-all targets every processor)
                counts[m][Collections.binarySearch(handling, p) >= 0 ? p : handling.get(0)] += perProcessor;
            }
        }
        return new InterruptCounts(host, a.id(), now, "load model", counts);
    }
}
