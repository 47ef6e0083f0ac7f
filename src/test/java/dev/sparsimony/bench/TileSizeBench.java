package dev.sparsimony.bench;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Design points per CPU-second of {@link DesignPointBench}'s point for several tile sizes (samples per forward
 * call), with and without storage accounting: the measurement behind {@code DesignPointEvaluator.TILE_BYTES}.
 * Run: {@code OMP_NUM_THREADS=1 java -Dmodel=jet-mlp -Dsecs=3 -cp ... dev.sparsimony.bench.TileSizeBench 128 256 512}.
 */
public final class TileSizeBench {
    private TileSizeBench() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        Nd4jRuntime.useSingleThread();
        String name = System.getProperty("model", "jet-mlp");
        double seconds = Double.parseDouble(System.getProperty("secs", "3"));
        Model m = DesignPointBench.load(name);
        Dataset d = DesignPointBench.sampleData(name, m, 10_000);
        List<DesignPoint> points = new ArrayList<>();
        QuantizerSpec f = QuantizerSpec.fixed(16, 6);
        for (int i = 0; i < 10; i++) {
            points.add(DesignPoint.of(PruneSpec.magnitude(i * 0.1, false)).withQuantizers(f, f, f));
        }
        System.out.println("# " + name + ", default tile " + DesignPointEvaluator.tileFor(m) + " samples");
        for (String arg : args) {
            int tile = Integer.parseInt(arg);
            for (boolean storage : new boolean[] {true, false}) {
                try (DesignPointEvaluator ev = new DesignPointEvaluator(m, d, tile).computeStorage(storage)) {
                    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
                        long t0 = tm.getCurrentThreadCpuTime();
                        int k = 0;
                        while (tm.getCurrentThreadCpuTime() - t0 < seconds * 1e9) {
                            ev.evaluate(points.get(k++ % points.size()));
                        }
                        long t = tm.getCurrentThreadCpuTime() - t0;
                        if (round == 1) {
                            System.out.printf("tile %5d storage %-5s: %6.1f points per CPU-second (%.3f ms)%n", tile,
                                    storage, k / (t / 1e9), t / 1e6 / k);
                        }
                    }
                }
            }
        }
    }
}
