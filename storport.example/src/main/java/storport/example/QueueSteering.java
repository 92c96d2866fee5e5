package storport.example;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.StorPort;

/**
 * A consumer of StorPort, as the README shows it: bound to the selector's dispatch (the highest-ranked
 * StorPort, which follows backend switches) with a dynamic greedy reference, answering the seed call
 * through an adapter handle.
 */
@Component(service = QueueSteering.class)
public class QueueSteering {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;

    /** The message that serves a processor; a StorPortException carries the STOR_STATUS otherwise. */
    public int messageFor(String adapter, int processorIndex) {
        return storport.adapter(adapter).messageInterruptId(processorIndex);
    }
}
