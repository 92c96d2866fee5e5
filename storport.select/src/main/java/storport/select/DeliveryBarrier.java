package storport.select;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.cm.ManagedService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Waits until Config Admin has delivered every configuration change written before the call.
 *
 * <p>Config Admin hands changes to their targets on its own threads, in order: one for managed
 * services, one for configuration listeners (which SCR uses to update components, and with them
 * their service rankings). Writing a marker configuration and waiting until both threads have
 * delivered it means every earlier change was delivered too, including the service events it
 * caused, so consumers holding greedy references have rebound.
 */
@Component(service = {DeliveryBarrier.class, ManagedService.class, ConfigurationListener.class},
        property = Constants.SERVICE_PID + "=" + DeliveryBarrier.PID)
public class DeliveryBarrier implements ManagedService, ConfigurationListener {
    static final String PID = "storport.backends.barrier";
    private static final String SEQUENCE = "sequence";

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private final AtomicLong written = new AtomicLong();
    private final Object lock = new Object();
    private long seenByManagedService = -1;
    private long seenByListener = -1;

    /**
     * @return whether both delivery paths caught up within the timeout
     */
    boolean await(long timeoutMs) throws IOException, InterruptedException {
        long seq = written.incrementAndGet() + System.nanoTime(); // unique even across restarts
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SEQUENCE, seq);
        configurationAdmin.getConfiguration(PID, "?").update(props);
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (lock) {
            while (seenByManagedService < seq || seenByListener < seq) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
        }
        return true;
    }

    @Override
    public void updated(Dictionary<String, ?> properties) {
        long seq = sequence(properties);
        synchronized (lock) {
            seenByManagedService = Math.max(seenByManagedService, seq);
            lock.notifyAll();
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!PID.equals(event.getPid())) {
            return;
        }
        long seq;
        try {
            var c = configurationAdmin.getConfiguration(PID, "?");
            seq = sequence(c.getProperties());
        } catch (IOException e) {
            return;
        }
        synchronized (lock) {
            seenByListener = Math.max(seenByListener, seq);
            lock.notifyAll();
        }
    }

    private static long sequence(Dictionary<String, ?> properties) {
        Object v = properties == null ? null : properties.get(SEQUENCE);
        return v instanceof Number n ? n.longValue() : -1;
    }
}
