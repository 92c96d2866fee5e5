package storport.api;

import java.util.List;

/**
 * One message of an adapter: {@code MESSAGE_INTERRUPT_INFORMATION} ({@code StorPortGetMSIInfo})
 * plus its {@code MessageTargets} and the OS view.
 *
 * @param messageId       the MSI-X table index (or MSI message number); never an OS IRQ number
 * @param messageData     the MSI data value
 * @param messageAddress  the MSI address (a physical address)
 * @param interruptVector the CPU interrupt vector
 * @param interruptLevel  the interrupt level (IRQL on Windows; the vector here)
 * @param interruptMode   latched for MSI/MSI-X
 * @param name            the handler name, e.g. {@code nvme0q3} or {@code virtio1-req.0}
 * @param irq             the OS IRQ number, or -1 when there is none (a simulated host)
 * @param targets         {@code MessageTargets}: the processors the message targets (the requested
 *                        affinity), one group affinity per group
 * @param processors      the same processors as ascending processor indexes
 * @param effective       the processors the interrupt is actually delivered to now (Linux
 *                        {@code effective_affinity_list}; often one), ascending indexes
 */
public record MessageInterrupt(int messageId, int messageData, long messageAddress, int interruptVector,
        int interruptLevel, InterruptMode interruptMode, String name, int irq, List<GroupAffinity> targets,
        List<Integer> processors, List<Integer> effective) {

    public MessageInterrupt {
        targets = List.copyOf(targets);
        processors = List.copyOf(processors);
        effective = List.copyOf(effective);
    }

    /** A message delivered to all of its targets (a simulated host has no narrower effective affinity). */
    public MessageInterrupt(int messageId, int messageData, long messageAddress, int interruptVector, int interruptLevel,
            InterruptMode interruptMode, String name, int irq, List<GroupAffinity> targets, List<Integer> processors) {
        this(messageId, messageData, messageAddress, interruptVector, interruptLevel, interruptMode, name, irq, targets, processors,
                processors);
    }
}
