package dev.sparsimony.bench;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.*;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import java.util.*;

public class TileProbe {
    public static void main(String[] a) throws Exception {
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        Nd4jRuntime.useSingleThread();
        String name = System.getProperty("model", "jet-mlp"); Model m = DesignPointBench.load(name);
        Dataset d = DesignPointBench.sampleData(name, m, 10000);
        List<DesignPoint> pts = new ArrayList<>();
        for (int i = 0; i < 10; i++) pts.add(DesignPoint.of(PruneSpec.magnitude(i * 0.1, false)).withQuantizers(
                QuantizerSpec.fixed(16, 6), QuantizerSpec.fixed(16, 6), QuantizerSpec.fixed(16, 6)));
        for (String bs : a) {
            int b = Integer.parseInt(bs);
            for (boolean st : new boolean[]{true, false}) {
            try (var ev = new DesignPointEvaluator(m, d, b).computeStorage(st)) {
                double acc = 0;
                for (int round = 0; round < 2; round++) {
                    long t0 = tm.getCurrentThreadCpuTime(); int k = 0;
                    while (tm.getCurrentThreadCpuTime() - t0 < Double.parseDouble(System.getProperty("secs", "3")) * 1e9) { acc += ev.evaluate(pts.get(k++ % 10)).quality().value(); }
                    long t = tm.getCurrentThreadCpuTime() - t0;
                    if (round == 1) System.out.printf("batch %5d storage %s: %.1f pts/s (%.3f ms)%n", b, st, k / (t / 1e9), t / 1e6 / k);
                }
            }
            }
        }
    }
}
