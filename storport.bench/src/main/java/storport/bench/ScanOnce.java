package storport.bench;

import java.nio.file.Path;

import storport.api.Host;
import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;

/**
 * One full scan of a tree in a fresh JVM, printing the processor count: the whole-process side of
 * the comparison with {@code lstopo-no-graphics --input TREE --of xml}.
 * Run: {@code java -cp storport.bench/target/benchmarks.jar storport.bench.ScanOnce TREE [trusted]}
 */
public final class ScanOnce {
    private ScanOnce() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        boolean trusted = args.length > 1 && args[1].equals("trusted");
        Host host = new LinuxHostScanner().scan(trusted ? DirectorySource.trusted(root) : new DirectorySource(root));
        System.out.println(host.topology().processorCount());
    }
}
