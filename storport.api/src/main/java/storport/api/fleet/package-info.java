/**
 * The fleet: many hosts' storport agents publishing to an MQTT broker (DESIGN section 9), as a
 * console subscribed to it sees them. For management tools (the shell's {@code hosts} command, the
 * console's fleet page, monitoring).
 *
 * <p>A console registers {@link storport.api.fleet.Fleet}; each host it holds a snapshot of is also
 * a read-only {@link storport.api.StorPort} backend named {@code host:<host>}.
 */
@Export
@Version("1.0.0")
package storport.api.fleet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
