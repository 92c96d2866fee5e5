package storport.api.sim;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import storport.api.Adapter;
import storport.api.StorPortException;
import storport.api.Topology;

/**
 * What an adapter's map would be under another interrupt policy, on any host (simulated, live or a
 * replayed capture): the simulator's policies applied to that host's topology, with the adapter's
 * message count, redirection range and device node. For comparing policies before changing a kernel
 * parameter or a registry value ({@code storport:compare}).
 *
 * @since 1.1
 */
@ProviderType
public interface WhatIf {

    /** The policies {@link #remap} takes (every simulator policy but {@code explicit}, which needs a table). */
    List<String> policies();

    /**
     * The adapter as it would be under {@code policy}: same id, message count, redirection range and
     * node; targets and map from the policy on {@code topology} (its isolated CPUs count for
     * {@code managed_irq}). A device node the topology does not have counts as its first node.
     *
     * @throws StorPortException INVALID_PARAMETER for an unknown policy, {@code explicit}, or a
     *                           malformed {@code win-specified:LIST}
     */
    Adapter remap(Topology topology, Adapter adapter, String policy);
}
