package storport.linux;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

import storport.api.Isolation;

/**
 * The CPUs the host keeps from ordinary work (DESIGN section 6): {@code cpu/isolated} and
 * {@code cpu/nohz_full} as the kernel states them, and {@code /proc/cmdline} for what those files do
 * not show ({@code isolcpus=managed_irq,...} appears in neither; see kernel/sched/isolation.c,
 * {@code housekeeping_isolcpus_setup}).
 *
 * <p>A missing file means none (kernels without NO_HZ_FULL have no {@code nohz_full}; captures made
 * before storport read these files have none of them). A garbled sysfs file is an input error like
 * any other topology file; a command-line value the kernel accepts in a form storport does not read
 * ({@code isolcpus=all}, {@code 0-7:2/4}) is left out rather than failing the whole scan.
 */
final class IsolationReader {
    static final String ISOLATED = TopologyReader.CPU + "/isolated";
    static final String NOHZ_FULL = TopologyReader.CPU + "/nohz_full";
    static final String CMDLINE = "/proc/cmdline";

    private IsolationReader() {
    }

    static Isolation read(SysfsSource source) throws LinuxInputException {
        List<Integer> domain = new ArrayList<>(list(source, ISOLATED));
        List<Integer> nohzFull = new ArrayList<>(list(source, NOHZ_FULL));
        List<Integer> managedIrq = new ArrayList<>();
        String cmdline = optional(source, CMDLINE);
        if (cmdline != null) {
            for (String parameter : cmdline.trim().split("\\s+")) {
                if (parameter.startsWith("nohz_full=")) {
                    nohzFull.addAll(cmdlineList(parameter.substring("nohz_full=".length())));
                } else if (parameter.startsWith("isolcpus=")) {
                    isolcpus(parameter.substring("isolcpus=".length()), domain, nohzFull, managedIrq);
                }
            }
        }
        return new Isolation(domain, nohzFull, managedIrq);
    }

    /**
     * {@code isolcpus=[flag,...]cpulist}: flags {@code domain} (the default when none is given),
     * {@code nohz} and {@code managed_irq}; an unknown flag is skipped, as the kernel skips it.
     */
    private static void isolcpus(String value, List<Integer> domain, List<Integer> nohz, List<Integer> managedIrq) {
        boolean flagged = false;
        boolean isDomain = false;
        boolean isNohz = false;
        boolean isManaged = false;
        String rest = value;
        while (!rest.isEmpty() && Character.isLetter(rest.charAt(0))) {
            int comma = rest.indexOf(',');
            String flag = comma < 0 ? rest : rest.substring(0, comma);
            flagged = true;
            isDomain |= flag.equals("domain");
            isNohz |= flag.equals("nohz");
            isManaged |= flag.equals("managed_irq");
            rest = comma < 0 ? "" : rest.substring(comma + 1);
        }
        List<Integer> cpus = cmdlineList(rest);
        if (!flagged || isDomain) {
            domain.addAll(cpus);
        }
        if (isNohz) {
            nohz.addAll(cpus);
        }
        if (isManaged) {
            managedIrq.addAll(cpus);
        }
    }

    private static List<Integer> cmdlineList(String text) {
        try {
            return boxed(CpuList.parse(CMDLINE, text));
        } catch (LinuxInputException e) {
            return List.of();
        }
    }

    /** A CPU list file; {@code (null)} (nohz_full without the parameter) and a missing file are none. */
    private static List<Integer> list(SysfsSource source, String path) throws LinuxInputException {
        String text = optional(source, path);
        if (text == null || text.trim().equals("(null)")) {
            return List.of();
        }
        return boxed(CpuList.parse(path, text));
    }

    private static String optional(SysfsSource source, String path) throws LinuxInputException {
        try {
            return source.read(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw LinuxInputException.of(path, e);
        }
    }

    private static List<Integer> boxed(int[] cpus) {
        List<Integer> out = new ArrayList<>(cpus.length);
        for (int c : cpus) {
            out.add(c);
        }
        return out;
    }
}
