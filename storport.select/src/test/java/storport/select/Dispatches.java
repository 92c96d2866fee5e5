package storport.select;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import storport.api.StorPort;

/**
 * A fixture for code outside the bundle (the lookup benchmark, through this module's test jar):
 * the selector's real {@link Dispatch} outside a framework, with one backend bound as SCR would
 * bind it (a service reference carrying {@code storport.backend}) and chosen.
 */
public final class Dispatches {
    private Dispatches() {
    }

    public static StorPort over(StorPort backend) {
        String name = backend.backend();
        Dispatch d = new Dispatch(name);
        Map<String, Object> props = Map.of(StorPort.BACKEND, name, Constants.SERVICE_RANKING, 0, Constants.SERVICE_ID, 1L);
        @SuppressWarnings("unchecked")
        ServiceReference<StorPort> ref = (ServiceReference<StorPort>) Proxy.newProxyInstance(Dispatches.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> props.get(args[0]);
                    case "compareTo" -> 0;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> 1;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        d.addBackend(ref, backend);
        if (!name.equals(d.activeName())) {
            throw new IllegalStateException("the dispatch did not choose " + name);
        }
        return d;
    }
}
