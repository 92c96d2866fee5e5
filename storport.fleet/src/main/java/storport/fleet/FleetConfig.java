package storport.fleet;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@value FleetSettings#PID} configuration. An empty value takes the launcher's framework
 * property instead ({@code STORPORT_FLEET...} in the environment); with no broker at all the fleet is off.
 */
@ObjectClassDefinition(id = FleetSettings.PID, name = "storport fleet",
        description = "Publish this host to an MQTT broker (agent) and/or hold every host published there (console). Off while no broker is set.")
@interface FleetConfig {
    @AttributeDefinition(name = "Broker", required = false,
            description = "MQTT broker URI: tcp://host:1883, or ssl://host:8883 for TLS. Empty: the launcher's STORPORT_FLEET; none: the fleet is off.")
    String broker() default "";

    @AttributeDefinition(name = "Role", required = false, description = "agent (publish this host), console (hold every host) or both. Default agent.")
    String role() default "";

    @AttributeDefinition(name = "Host name", required = false,
            description = "This host's name in the topics storport/v1/hosts/<host>/...; default the machine's host name. Letters, digits, '.', '_', '-'.")
    String host() default "";

    @AttributeDefinition(name = "User", required = false, description = "Broker user name (an agent's should be its host name: the broker's ACL pattern %u)")
    String user() default "";

    @AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD, description = "Broker password")
    String password() default "";

    @AttributeDefinition(name = "CA certificate", required = false,
            description = "PEM file of the certificate authority that signed the broker's certificate (ssl://); empty: the JDK's trusted authorities")
    String ca() default "";

    @AttributeDefinition(name = "Keep-alive (s)", min = "2", max = "3600",
            description = "MQTT keep-alive: the broker declares a silent agent offline after 1.5 times this")
    int keepAliveSeconds() default FleetSettings.DEFAULT_KEEP_ALIVE_SECONDS;

    @AttributeDefinition(name = "Largest snapshot (KiB)", min = "16",
            description = "A console refuses a host's snapshot larger than this; the host's previous snapshot keeps serving")
    int maxSnapshotKiB() default FleetSettings.DEFAULT_MAX_SNAPSHOT_KIB;

    @AttributeDefinition(name = "Change check interval (ms)", min = "100",
            description = "How often an agent looks whether its host's snapshot changed, to publish it")
    long checkIntervalMillis() default 1000;
}
