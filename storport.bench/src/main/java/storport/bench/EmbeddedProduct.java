package storport.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

import storport.runtime.ProductRuntime;

/**
 * The product in a real Felix framework inside the benchmark JVM: the runtime storport.bndrun
 * defines ({@link ProductRuntime}, read from storport.jar), with the native backend on a small
 * fixture root and no HTTP port; the shell's greedy components are the consumers. API types live in the framework's class space, so this
 * side talks to the services reflectively.
 */
final class EmbeddedProduct implements AutoCloseable {
    private final Framework framework;
    private final Object backends;
    private final Method select;
    private final Object processor;

    EmbeddedProduct(Path work) throws Exception {
        Path root = NativeFixture.write(work.resolve("root"));
        ProductRuntime runtime = ProductRuntime.of(Path.of(System.getProperty("storport.product.jar", "storport.app/target/storport.jar")),
                work.resolve("bundles"));
        Map<String, String> config = new HashMap<>(runtime.properties());
        // the benchmark's own: its storage and configuration, the native backend on a fixture root, no HTTP port, no shell
        config.put(Constants.FRAMEWORK_STORAGE, work.resolve("framework").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.cm.dir", work.resolve("config").toString());
        config.put("storport.native.root", root.toString());
        config.put("ds.loglevel", "error");
        config.put("org.apache.felix.http.enable", "false");
        config.put("gosh.args", "--nointeractive");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        BundleContext context = framework.getBundleContext();
        int highest = 1;
        for (ProductRuntime.RunBundle b : runtime.bundles()) {
            Bundle installed = context.installBundle(b.file().toUri().toString());
            installed.adapt(BundleStartLevel.class).setStartLevel(b.startLevel());
            if (!b.fragment()) {
                installed.start();
            }
            highest = Math.max(highest, b.startLevel());
        }
        framework.adapt(FrameworkStartLevel.class).setStartLevel(highest);
        backends = await(context, "storport.api.backend.Backends");
        select = backends.getClass().getMethod("select", String.class);
        processor = await(context, "org.apache.felix.service.command.CommandProcessor");
        awaitCommand(context, "msgid");
    }

    /** A Gogo session of this thread's own, capturing what commands print. */
    Session session() throws ReflectiveOperationException {
        return new Session(processor);
    }

    void select(String backend) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                select.invoke(backends, backend);
                return;
            } catch (InvocationTargetException e) {
                // the native backend may still be reading its root right after start
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(10);
            }
        }
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static Object await(BundleContext context, String type) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            // getAllServiceReferences: this JVM's class path has its own copy of the API classes, so the
            // class-space filtered lookup would hide the framework's services from the system bundle.
            ServiceReference<?>[] refs = context.getAllServiceReferences(type, null);
            if (refs != null) {
                return context.getService(refs[0]);
            }
            if (System.currentTimeMillis() > deadline) {
                StringBuilder states = new StringBuilder();
                for (Bundle b : context.getBundles()) {
                    states.append(' ').append(b.getSymbolicName()).append('=').append(b.getState());
                }
                throw new IllegalStateException(type + " was not registered within 30 s; bundles:" + states);
            }
            Thread.sleep(10);
        }
    }

    private static void awaitCommand(BundleContext context, String function) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (context.getServiceReferences((String) null, "(&(osgi.command.scope=storport)(osgi.command.function=" + function + "))") == null) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("storport:" + function + " was not registered within 30 s");
            }
            Thread.sleep(10);
        }
    }

    /** One Gogo session; not thread-safe. */
    static final class Session {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Object session;
        private final Method execute;

        Session(Object processor) throws ReflectiveOperationException {
            Method create = processor.getClass().getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
            session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                    new PrintStream(new ByteArrayOutputStream(), true));
            execute = session.getClass().getMethod("execute", CharSequence.class);
            execute.setAccessible(true);
        }

        /** What the line printed, trimmed; a failing command throws with its message. */
        String run(String line) throws Exception {
            out.reset();
            try {
                execute.invoke(session, line);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(line + ": " + e.getCause().getMessage(), e.getCause());
            }
            return out.toString(StandardCharsets.UTF_8).trim();
        }
    }
}
