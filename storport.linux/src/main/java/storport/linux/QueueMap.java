package storport.linux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import storport.api.Topology;

/**
 * Rule step 1 on Linux: the blk-mq hardware queue a CPU submits on is completed by that queue's
 * vector, so the CPUs of {@code /sys/block/<dev>/mq/<n>/cpu_list} are served by the vector whose
 * handler the driver named after hctx n. Handler names are matched exactly.
 */
final class QueueMap {
    private static final Pattern NVME_CONTROLLER = Pattern.compile("nvme[0-9]+");
    private static final Pattern VIRTIO_DEVICE = Pattern.compile("virtio[0-9]+");
    private static final Pattern HCTX = Pattern.compile("[0-9]{1,9}");

    private QueueMap() {
    }

    /**
     * Processor index -> message for the adapter's block devices, -1 where no queue names a vector
     * (poll queues, unknown drivers); null when no CPU was mapped at all. Where two block devices
     * disagree about a CPU the first (by name) wins.
     *
     * @param messageOfHandler handler name -> message ID
     */
    static int[] primary(SysfsSource source, Topology topology, StorageFunction function, Map<String, Integer> messageOfHandler)
            throws LinuxInputException {
        int[] map = new int[topology.processorCount()];
        Arrays.fill(map, -1);
        boolean mapped = false;
        for (DeviceLink disk : function.disks) {
            Naming naming = naming(disk.below(function.devicePath));
            if (naming == null) {
                continue;   // a driver whose queue handlers we cannot name: rule step 2 answers
            }
            String mq = disk.link() + "/mq";
            List<String> queues;
            try {
                queues = SysfsFiles.list(source, mq);
            } catch (LinuxInputException e) {
                if (SysfsFiles.isMissing(e)) {
                    continue;   // not a blk-mq device
                }
                throw e;
            }
            for (int hctx : hctxs(queues)) {
                Integer message = messageOfHandler.get(naming.handler(hctx));
                if (message == null) {
                    continue;
                }
                String cpuList = mq + "/" + hctx + "/cpu_list";
                for (int cpu : CpuList.parse(cpuList, SysfsFiles.read(source, cpuList))) {
                    int p = topology.indexOfCpu(cpu);
                    if (p >= 0 && map[p] < 0) {
                        map[p] = message;
                        mapped = true;
                    }
                }
            }
        }
        return mapped ? map : null;
    }

    /**
     * How a driver names the vector of hctx n: {@code prefix + (n + offset)}.
     *
     * @param prefix e.g. {@code nvme0q} or {@code virtio1-req.}
     * @param offset 1 for NVMe (queue 0 is the admin queue), 0 for virtio-blk
     */
    record Naming(String prefix, int offset) {
        String handler(int hctx) {
            return prefix + (hctx + offset);
        }
    }

    /**
     * The naming for a disk, from where it sits below the PCI function: NVMe
     * {@code nvme/nvmeX/nvmeXnY} -> {@code nvmeXq<n+1>}; virtio-blk {@code virtioK/block/vda} ->
     * {@code virtioK-req.<n>}. Null for any other driver.
     */
    static Naming naming(List<String> below) {
        for (int i = 0; i < below.size() - 1; i++) {
            if (NVME_CONTROLLER.matcher(below.get(i)).matches()) {
                return new Naming(below.get(i) + "q", 1);
            }
        }
        if (below.size() > 1 && VIRTIO_DEVICE.matcher(below.get(0)).matches()) {
            return new Naming(below.get(0) + "-req.", 0);
        }
        return null;
    }

    /** The hardware queue numbers among the entries of {@code mq}, ascending. */
    private static int[] hctxs(List<String> entries) {
        List<Integer> out = new ArrayList<>();
        for (String e : entries) {
            if (HCTX.matcher(e).matches()) {
                out.add(Integer.parseInt(e));
            }
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
