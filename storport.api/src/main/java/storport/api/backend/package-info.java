/**
 * Backend selection: which backend answers the {@link storport.api.StorPort} questions. For
 * management tools (the shell's {@code backend} command, the console's switch).
 *
 * <p>The selector registers {@link storport.api.backend.Backends}; each backend registers a
 * {@link storport.api.backend.BackendStatus} saying whether it can answer and why not.
 */
@Export
@Version("1.0.0")
package storport.api.backend;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
