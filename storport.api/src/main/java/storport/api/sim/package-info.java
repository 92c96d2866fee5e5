/**
 * Simulator administration and host capture: the synthetic host and its adapters
 * ({@link storport.api.sim.SimulatorControl}), and the capture of a real host
 * ({@link storport.api.sim.HostCapture}) that the simulator replays and that is read back as a
 * baseline to compare with. For management tools.
 */
@Export
@Version("1.1.0")
package storport.api.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
