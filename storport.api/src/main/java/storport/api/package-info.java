/**
 * The StorPort message-interrupt questions for every storage adapter on a host.
 *
 * <p>The main question is Windows' {@code StorPortGetMessageInterruptIDFromProcessorIndex}: which
 * MSI-X message (an index into the device's MSI-X table, never an OS IRQ number) serves logical
 * processor N. Backends register {@link storport.api.StorPort} services; consumers bind the one
 * with the highest ranking and never notice a backend swap except that the answers change.
 *
 * <p>Status-code methods return the {@code STOR_STATUS} values of storport.h (see
 * {@link storport.api.StorStatus}) and write results into holders, for code ported from
 * miniports. Idiomatic methods return the value and throw {@link storport.api.StorPortException}
 * carrying the same status.
 *
 * <p>1.1: {@link storport.api.AdapterHandle}, from {@link storport.api.StorPort#adapter(String)}: the
 * seed call on an adapter handle the caller keeps, without a by-name lookup per call.
 */
@Export
@Version("1.1.0")
package storport.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
