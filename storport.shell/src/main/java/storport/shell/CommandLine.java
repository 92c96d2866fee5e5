package storport.shell;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;

import storport.api.StorPortException;

/**
 * Binds raw arguments to a command method the way Gogo does, from the same {@link Parameter} and
 * {@link Descriptor} annotations, for commands Gogo cannot bind itself.
 *
 * <p>Why: Gogo finds a command's method by the function name, and {@code sim-host} cannot be a Java
 * method name; such functions reach {@code _main} with the raw arguments. Reading the typed
 * method's annotations keeps one definition of the options, the help text and the parsing.
 * Supported parameter types: String, boolean, and a final String[] taking the remaining words.
 */
final class CommandLine {

    private CommandLine() {
    }

    /**
     * The method's arguments: options (anywhere on the line) in declaration order, then positional
     * arguments in order, as Gogo's Reflective does.
     *
     * @throws StorPortException INVALID_PARAMETER for a missing option value, an unknown option, a
     *                           missing or an extra argument
     */
    static Object[] bind(Method method, List<String> args) {
        java.lang.reflect.Parameter[] params = method.getParameters();
        Object[] values = new Object[params.length];
        List<String> rest = new ArrayList<>(args);
        for (int i = 0; i < params.length; i++) {
            Parameter option = params[i].getAnnotation(Parameter.class);
            if (option == null) {
                continue;
            }
            int at = -1;
            for (String name : option.names()) {
                at = rest.indexOf(name);
                if (at >= 0) {
                    break;
                }
            }
            String value;
            if (at < 0) {
                value = option.absentValue();
            } else {
                rest.remove(at);
                if (Parameter.UNSPECIFIED.equals(option.presentValue())) {
                    if (at >= rest.size()) {
                        throw StorPortException.invalidParameter("option " + option.names()[0] + " needs a value");
                    }
                    value = rest.remove(at);
                } else {
                    value = option.presentValue();
                }
            }
            values[i] = params[i].getType() == boolean.class ? (Object) Boolean.parseBoolean(value) : value;
        }
        for (String arg : rest) {
            if (arg.startsWith("--") && arg.length() > 2) {
                throw StorPortException.invalidParameter("unknown option '" + arg + "' (options: " + String.join(", ", options(method)) + ")");
            }
        }
        for (int i = 0; i < params.length; i++) {
            if (params[i].isAnnotationPresent(Parameter.class)) {
                continue;
            }
            if (params[i].getType() == String[].class) {
                values[i] = rest.toArray(new String[0]);
                rest.clear();
            } else if (rest.isEmpty()) {
                throw StorPortException.invalidParameter("missing argument: " + describe(params[i]));
            } else {
                values[i] = rest.remove(0);
            }
        }
        if (!rest.isEmpty()) {
            throw StorPortException.invalidParameter("unexpected argument '" + rest.get(0) + "'");
        }
        return values;
    }

    /** Help text in the layout of Gogo's {@code help} command. */
    static String usage(String function, Method method) {
        StringBuilder sb = new StringBuilder(function);
        Descriptor d = method.getAnnotation(Descriptor.class);
        if (d != null) {
            sb.append(" - ").append(d.value());
        }
        sb.append("\n   scope: ").append(Shell.SCOPE).append('\n');
        StringBuilder opts = new StringBuilder();
        StringBuilder positional = new StringBuilder();
        for (java.lang.reflect.Parameter p : method.getParameters()) {
            Parameter option = p.getAnnotation(Parameter.class);
            if (option != null) {
                opts.append("      ").append(String.join(", ", option.names()));
                if (Parameter.UNSPECIFIED.equals(option.presentValue())) {
                    opts.append(" VALUE");
                }
                opts.append("   ").append(describe(p)).append('\n');
            } else {
                positional.append("      ").append(p.getType().getSimpleName()).append("   ").append(describe(p)).append('\n');
            }
        }
        if (opts.length() > 0) {
            sb.append("   options:\n").append(opts);
        }
        if (positional.length() > 0) {
            sb.append("   parameters:\n").append(positional);
        }
        return sb.toString();
    }

    private static List<String> options(Method method) {
        List<String> names = new ArrayList<>();
        for (java.lang.reflect.Parameter p : method.getParameters()) {
            Parameter option = p.getAnnotation(Parameter.class);
            if (option != null) {
                names.addAll(Arrays.asList(option.names()));
            }
        }
        return names;
    }

    private static String describe(java.lang.reflect.Parameter p) {
        Descriptor d = p.getAnnotation(Descriptor.class);
        return d != null ? d.value() : p.getName();
    }
}
