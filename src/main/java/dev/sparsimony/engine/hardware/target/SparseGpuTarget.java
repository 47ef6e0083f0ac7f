package dev.sparsimony.engine.hardware.target;

import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPU with 2:4 structured-sparse tensor cores (NVIDIA Ampere; A100 whitepaper 2020; Mishra et al.,
 * "Accelerating Sparse Deep Neural Networks", arXiv:2104.08378). A Dense/Conv layer is accelerated only when its
 * kernel is exactly 2:4 sparse along the reduction axis (every 4 consecutive input rows of every output column hold
 * at most 2 non-zeros, and the row count is a multiple of 4): its matrix product then runs at up to
 * {@link Params#sparseSpeedup()} the dense rate and its weights take half the bytes plus 2 bits of metadata per kept
 * value. All other layers run dense. Each layer takes max(compute time, memory time) + a launch overhead (roofline).
 */
public final class SparseGpuTarget implements HardwareTarget {
    /**
     * @param name             target name
     * @param denseTflops      dense FP16 tensor-core peak (A100: 312 TFLOPS)
     * @param sparseSpeedup    speed-up of 2:4 matrix products on the tensor cores (A100: up to 2x, 624 TFLOPS)
     * @param memoryGBs        memory bandwidth (A100 40 GB: 1555 GB/s)
     * @param bytesPerValue    bytes per weight/activation (FP16: 2)
     * @param launchUs         per-layer kernel launch overhead in microseconds
     * @param batch            samples per inference call
     */
    public record Params(String name, double denseTflops, double sparseSpeedup, double memoryGBs, int bytesPerValue,
                         double launchUs, int batch) {
        public Params {
            if (batch < 1) {
                throw new ModelException("batch size must be at least 1, got " + batch);
            }
        }

        public static Params a100(int batch) {
            return new Params("a100", 312, 2.0, 1555, 2, 3.0, batch);
        }
    }

    public static final List<String> COLUMNS = List.of("GFLOP", "2:4", "dense_us", "time_us", "speedup");

    private final Params p;

    public SparseGpuTarget(Params params) {
        this.p = params;
    }

    @Override
    public String name() {
        return p.name();
    }

    @Override
    public String description() {
        return "GPU with 2:4 sparse tensor cores (" + p.denseTflops() + " dense TFLOPS, " + p.memoryGBs()
                + " GB/s, batch " + p.batch() + ")";
    }

    /** True when every group of 4 consecutive rows of every column of the [rows, cols] matrix has at most 2 non-zeros. */
    public static boolean isTwoFour(float[] kernel, int rows, int cols) {
        if (rows % 4 != 0) {
            return false;
        }
        for (int c = 0; c < cols; c++) {
            for (int g = 0; g < rows; g += 4) {
                int nz = 0;
                for (int r = g; r < g + 4; r++) {
                    if (kernel[r * cols + c] != 0f) {
                        nz++;
                    }
                }
                if (nz > 2) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public HardwareReport estimate(Model model, HardwareConfig config) {
        Map<String, int[]> shapes = model.inferShapes(p.batch());
        List<HardwareReport.Row> rows = new ArrayList<>();
        double denseTotal = 0;
        double total = 0;
        double flopsTotal = 0;
        long accelerated = 0;
        double flopsPerUs = p.denseTflops() * 1e6;
        double bytesPerUs = p.memoryGBs() * 1e3;
        for (Node n : model.nodes()) {
            Map<String, Object> v = new LinkedHashMap<>();
            int[] out = shapes.get(n.name());
            long outValues = 1;
            for (int d : out) {
                outValues *= d;
            }
            int[] in = n.inputs().isEmpty() ? out : shapes.get(n.inputs().get(0));
            long inValues = 1;
            for (int d : in) {
                inValues *= d;
            }
            float[] kernel = null;
            int kr = 0;
            int kc = 0;
            if (n.op() instanceof Ops.Dense d) {
                kernel = d.kernel().data();
                kr = d.nIn();
                kc = d.nOut();
            } else if (n.op() instanceof Ops.Conv c) {
                kernel = c.kernel().data();
                kr = c.matrixRows();
                kc = c.outChannels();
            } else if (n.op() instanceof Ops.Binary b && b.op() == Ops.BinaryKind.DIV
                    || n.op() instanceof Ops.Constant) {
                kernel = null;
            }
            double denseUs;
            double us;
            String note;
            if (kernel != null) {
                double flops = 2.0 * (outValues / kc) * kr * kc;
                boolean sparse = isTwoFour(kernel, kr, kc);
                double weightBytes = (double) kr * kc * p.bytesPerValue();
                double actBytes = (double) (inValues + outValues) * p.bytesPerValue();
                denseUs = Math.max(flops / flopsPerUs, (weightBytes + actBytes) / bytesPerUs) + p.launchUs();
                if (sparse) {
                    double sparseWeightBytes = weightBytes / 2 + kr * kc / 2.0 * 2 / 8;
                    us = Math.max(flops / p.sparseSpeedup() / flopsPerUs, (sparseWeightBytes + actBytes) / bytesPerUs)
                            + p.launchUs();
                    accelerated++;
                } else {
                    us = denseUs;
                }
                flopsTotal += flops;
                v.put("GFLOP", flops / 1e9);
                v.put("2:4", sparse ? "yes" : "no");
                note = sparse ? "sparse tensor cores" : "dense (not exactly 2:4 along the reduction axis)";
            } else if (n.op() instanceof Ops.Flatten || n.op() instanceof Ops.Reshape
                    || n.op() instanceof Ops.Identity || n.op() instanceof Ops.Constant) {
                denseUs = 0;
                us = 0;
                note = "view, no kernel";
            } else {
                // element-wise / pooling / softmax: memory bound
                denseUs = (double) (inValues + outValues) * p.bytesPerValue() / bytesPerUs + p.launchUs();
                us = denseUs;
                note = "memory bound";
            }
            denseTotal += denseUs;
            total += us;
            v.put("dense_us", denseUs);
            v.put("time_us", us);
            v.put("speedup", us == 0 ? 1.0 : denseUs / us);
            rows.add(new HardwareReport.Row(n.name(), n.op().kind(), v, note));
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("GFLOP", flopsTotal / 1e9);
        t.put("dense_us", denseTotal);
        t.put("time_us", total);
        t.put("speedup", total == 0 ? 1.0 : denseTotal / total);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batch", (long) p.batch());
        s.put("latency_us", total);
        s.put("dense_latency_us", denseTotal);
        s.put("throughput_per_s", total == 0 ? 0.0 : p.batch() * 1e6 / total);
        s.put("accelerated_layers", accelerated);
        List<String> notes = List.of("only layers whose kernel is exactly 2:4 along the reduction axis are"
                + " accelerated (up to " + p.sparseSpeedup() + "x on their matrix product); roofline with "
                + p.launchUs() + " us launch overhead per layer");
        return new HardwareReport(name(), description(), COLUMNS, rows, new HardwareReport.Row("total", "", t, ""),
                s, notes, List.of());
    }
}
