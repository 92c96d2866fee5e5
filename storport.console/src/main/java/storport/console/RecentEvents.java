package storport.console;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import storport.view.Documents;
import storport.view.Text;

/**
 * The last change events storport posted on Event Admin (storport.insight), for the console's
 * events panel; each one moves the {@link ChangeTracker}, so open pages show it at once.
 */
@Component(service = { RecentEvents.class, EventHandler.class }, property = EventConstants.EVENT_TOPIC + "=storport/*")
public class RecentEvents implements EventHandler {
    static final int KEPT = 50;

    private final Deque<Documents.Events.EventLine> last = new ArrayDeque<>();

    @Reference
    ChangeTracker changes;

    @Override
    public void handleEvent(Event event) {
        Documents.Events.EventLine line = new Documents.Events.EventLine(Instant.now(), event.getTopic(), describe(event));
        synchronized (last) {
            last.addFirst(line);
            while (last.size() > KEPT) {
                last.removeLast();
            }
        }
        changes.bump();
    }

    /** Newest first. */
    Documents.Events events() {
        synchronized (last) {
            return new Documents.Events(List.copyOf(last));
        }
    }

    /** One line in the domain's words; the topic says which kind. */
    static String describe(Event e) {
        String topic = e.getTopic();
        if (topic.endsWith("/SWITCHED")) {
            return "backend " + e.getProperty("backend") + " answers (was " + e.getProperty("previous") + ")";
        }
        if (topic.endsWith("/CHANGED") && e.getProperty("adapters") instanceof String[] adapters) {
            return "new snapshot of " + e.getProperty("backend") + ": " + String.join(", ", adapters) + " changed";
        }
        if (e.getProperty("code") != null) {
            return (topic.endsWith("/RAISED") ? "raised " : "cleared ") + e.getProperty("severity") + " " + e.getProperty("code") + " on "
                    + e.getProperty("adapter") + ": messages " + ranges(e.getProperty("messages")) + ", processors "
                    + ranges(e.getProperty("processors"));
        }
        return topic;
    }

    private static String ranges(Object indexes) {
        return indexes instanceof int[] a ? Text.ranges(Arrays.stream(a).boxed().toList()) : "-";
    }
}
