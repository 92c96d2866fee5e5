/**
 * The StorPort message-interrupt questions for every storage adapter on a host, and their values.
 * For consumers that ask; backend selection is in {@link storport.api.backend}, simulator
 * administration and host capture in {@link storport.api.sim}.
 *
 * <p>The main question is Windows' {@code StorPortGetMessageInterruptIDFromProcessorIndex}: which
 * MSI-X message (an index into the device's MSI-X table, never an OS IRQ number) serves logical
 * processor N. Backends register {@link storport.api.StorPort} services; consumers bind the one
 * with the highest ranking and never notice a backend swap except that the answers change.
 *
 * <p>Status-code methods return the {@code STOR_STATUS} values of storport.h (see
 * {@link storport.api.StorStatus}) and write results into holders, for code ported from
 * miniports. Idiomatic methods return the value and throw {@link storport.api.StorPortException}
 * carrying the same status. An adapter name stands for {@code HwDeviceExtension}: an unknown one
 * is answered as a NULL extension is.
 *
 * <table>
 * <caption>storport.h routines, their methods and statuses (sources: the routines' pages on learn.microsoft.com,
 * windows-hardware/drivers/ddi/storport/)</caption>
 * <tr><th>routine</th><th>method of {@link storport.api.StorPort}</th><th>statuses</th></tr>
 * <tr><td>StorPortGetMessageInterruptIDFromProcessorIndex</td><td>getMessageInterruptIdFromProcessorIndex, messageInterruptId</td>
 * <td>SUCCESS; INVALID_PARAMETER (unknown adapter, null holder, index outside 0..n-1); UNSUCCESSFUL (no message serves the processor, adapter lost)</td></tr>
 * <tr><td>StorPortGetMSIInfo</td><td>getMSIInfo</td><td>SUCCESS; INVALID_PARAMETER (unknown adapter, null holder, message ID out of range);
 * INVALID_DEVICE_REQUEST (no message interrupts)</td></tr>
 * <tr><td>StorPortGetProcessorCount, StorPortGetActiveGroupCount, StorPortGetActiveNodeCount, StorPortGetHighestNodeNumber</td>
 * <td>getProcessorCount, getActiveGroupCount, getActiveNodeCount, getHighestNodeNumber</td><td>SUCCESS; INVALID_PARAMETER (null holder)</td></tr>
 * <tr><td>StorPortGetGroupAffinity</td><td>getGroupAffinity</td><td>SUCCESS; INVALID_PARAMETER (null holder); UNSUCCESSFUL (group beyond the active groups)</td></tr>
 * <tr><td>StorPortGetNodeAffinity</td><td>getNodeAffinity</td><td>SUCCESS (empty mask for a node without processors); INVALID_PARAMETER (null holder, node above 65,535)</td></tr>
 * <tr><td>StorPortGetNodeAffinity2</td><td>getNodeAffinity2</td><td>SUCCESS; BUFFER_TOO_SMALL (with the required count); INVALID_PARAMETER (invalid node, null array or count)</td></tr>
 * <tr><td>StorPortInitializePerfOpts (Query TRUE)</td><td>queryPerfOpts</td><td>SUCCESS; INVALID_PARAMETER (unknown adapter, null holder)</td></tr>
 * <tr><td>KeGetProcessorNumberFromIndex (wdm.h)</td><td>getProcessorNumberFromIndex</td><td>SUCCESS; INVALID_PARAMETER (index outside 0..n-1, null holder)</td></tr>
 * <tr><td>KeGetProcessorIndexFromNumber (wdm.h)</td><td>getProcessorIndexFromNumber</td><td>the index, or INVALID_PROCESSOR_INDEX (0xFFFFFFFF)</td></tr>
 * </table>
 *
 * <p>2.0: backend selection and simulator administration moved to packages of their own; the
 * deprecated {@code RANKING_PID_PREFIX} is gone; getGroupAffinity answers UNSUCCESSFUL beyond the
 * active groups, getNodeAffinity SUCCESS for a node without processors, getMSIInfo
 * INVALID_DEVICE_REQUEST for an adapter without message interrupts, as documented; new:
 * getNodeAffinity2, queryPerfOpts ({@link storport.api.PerfConfiguration}), and the processor
 * index/number conversions. 2.1 adds {@link storport.api.InterruptCounts}; 2.2 adds
 * {@link storport.api.Host#nanoTime()}, when a snapshot was made (its age for monitoring).
 */
@Export
@Version("2.2.0")
package storport.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
