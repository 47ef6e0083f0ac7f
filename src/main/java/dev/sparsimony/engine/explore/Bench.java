package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.infer.kernels.Sgemm;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.KernelView;
import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * How fast the engine evaluates full design points on a model (the CLI's {@code bench}): points per second on one
 * thread and on N (each worker its own workspace, rankings shared, OpenBLAS single-threaded per worker), next to
 * the machine's limit for the same work: the direct OpenBLAS sgemm of every weighted layer over the same samples in
 * the evaluator's tiles (the multiply-accumulates a point cannot avoid), on 1 and on N threads at once.
 *
 * <p>A full point: global magnitude pruning, fixed-point weights (4 to 16 bits), biases and layer outputs
 * (ap_fixed&lt;16,6&gt;), inference on every sample, accuracy, storage (Huffman included) and the hardware
 * estimate. Every point differs (no cache can help).
 */
public final class Bench {
    /** Figures of one run. */
    public record Result(String model, int samples, long macsPerPoint, int threads, double pointsPerSecond1,
                         double pointsPerSecondN, double rooflinePointsPerSecond1, double rooflinePointsPerSecondN,
                         double seconds) {
        public double speedup() {
            return pointsPerSecondN / pointsPerSecond1;
        }

        public double rooflineFraction1() {
            return pointsPerSecond1 / rooflinePointsPerSecond1;
        }

        public double rooflineFractionN() {
            return pointsPerSecondN / rooflinePointsPerSecondN;
        }

        /** Effective multiply-accumulates per second (dense MACs of the unpruned model, as the roofline counts). */
        public double gmacPerSecond1() {
            return pointsPerSecond1 * macsPerPoint / 1e9;
        }
    }

    private Bench() {
    }

    /** The i-th benchmark point: distinct sparsity and weight width for every i below 95 x 13. */
    public static DesignPoint point(int i) {
        double sparsity = (i * 37 % 95) / 100.0;
        int bits = 4 + i % 13;
        QuantizerSpec o = QuantizerSpec.fixed(16, 6);
        return DesignPoint.of(PruneSpec.magnitude(sparsity, true))
                .withQuantizers(QuantizerSpec.fixed(bits, 1), o, o).withName("bench-" + i);
    }

    /**
     * Measures {@code seconds} per phase (after a warm-up of a third of it) on 1 thread and on {@code threads}.
     * {@code progress} receives the phase (1 or threads) as each starts (may be null).
     */
    public static Result run(String name, Model model, Dataset data, int threads, double seconds,
                             LongConsumer progress) {
        Nd4jRuntime.useSingleThread();
        DesignPointEvaluator.Shared shared = new DesignPointEvaluator.Shared();
        DeviceCatalogue cat = DeviceCatalogue.builtIn();
        List<DesignPointEvaluator> workers = new ArrayList<>();
        try {
            for (int t = 0; t < Math.max(1, threads); t++) {
                workers.add(new DesignPointEvaluator(model, data).share(shared).catalogue(cat));
            }
            long macs = macsPerSample(model) * data.size();
            if (progress != null) {
                progress.accept(1);
            }
            double one = rate(workers.subList(0, 1), seconds, (w, i) -> w.evaluate(point(i)));
            double n = one;
            if (threads > 1) {
                if (progress != null) {
                    progress.accept(threads);
                }
                n = rate(workers, seconds, (w, i) -> w.evaluate(point(i)));
            }
            double[] roof = roofline(model, data.size(), DesignPointEvaluator.tileFor(model), threads, seconds);
            return new Result(name, data.size(), macs, threads, one, n, roof[0], roof[1], seconds);
        } finally {
            workers.forEach(DesignPointEvaluator::close);
        }
    }

    private interface Work<W> {
        void run(W worker, int i);
    }

    /** Operations per second of all workers together, each on its own thread, after a warm-up. */
    private static <W> double rate(List<W> workers, double seconds, Work<W> work) {
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        AtomicLong next = new AtomicLong();
        CountDownLatch done = new CountDownLatch(workers.size());
        List<Thread> ts = new ArrayList<>();
        for (W w : workers) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        work.run(w, (int) (next.getAndIncrement() % (95 * 13)));
                        if (counting.get()) {
                            count.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "sparsimony-bench");
            t.setDaemon(true);
            ts.add(t);
        }
        ts.forEach(Thread::start);
        try {
            Thread.sleep((long) (seconds * 1000 / 3));
            long c0 = count.get();
            long t0 = System.nanoTime();
            counting.set(true);
            Thread.sleep((long) (seconds * 1000));
            long c1 = count.get();
            long t1 = System.nanoTime();
            stop.set(true);
            done.await();
            return (c1 - c0) / ((t1 - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
            return Double.NaN;
        }
    }

    /** Dense multiply-accumulates per sample of every weighted layer (kernel size x output positions). */
    static long macsPerSample(Model model) {
        Map<String, int[]> shapes = model.inferShapes(1);
        long macs = 0;
        for (Node l : model.prunableNodes()) {
            LayerContext ctx = new LayerContext(model, shapes.get(l.name()), 0, 16, 1);
            macs += (long) KernelView.of(l).size() * ctx.outputPositions(l);
        }
        return macs;
    }

    /**
     * Points per second if a point cost only its sgemms: every weighted layer as one [tile x positions, rows] x
     * [rows, cols] product per tile (im2col form for convolutions), through the evaluator's direct OpenBLAS call;
     * on one thread and on {@code threads} at once.
     */
    static double[] roofline(Model model, int samples, int tile, int threads, double seconds) {
        tile = Math.max(1, Math.min(samples, tile));
        Map<String, int[]> shapes = model.inferShapes(1);
        int tiles = (samples + tile - 1) / tile;
        List<List<Sgemm>> perThread = new ArrayList<>();
        for (int t = 0; t < Math.max(1, threads); t++) {
            List<Sgemm> g = new ArrayList<>();
            for (Node l : model.prunableNodes()) {
                KernelView k = KernelView.of(l);
                int pos = new LayerContext(model, shapes.get(l.name()), 0, 16, 1).outputPositions(l);
                long m = (long) tile * pos;
                g.add(new Sgemm(Nd4j.rand(DataType.FLOAT, m, k.rows()), Nd4j.rand(DataType.FLOAT, k.rows(), k.cols()),
                        Nd4j.create(DataType.FLOAT, m, k.cols())));
            }
            perThread.add(g);
        }
        Work<List<Sgemm>> pass = (g, i) -> {
            for (int s = 0; s < tiles; s++) {
                for (Sgemm x : g) {
                    x.run(0f);
                }
            }
        };
        double one = rate(perThread.subList(0, 1), seconds / 2, pass);
        double n = threads > 1 ? rate(perThread, seconds / 2, pass) : one;
        return new double[] {one, n};
    }
}
