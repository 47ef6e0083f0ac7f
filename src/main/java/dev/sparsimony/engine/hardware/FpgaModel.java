package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.hardware.CostTerms.Ff;
import dev.sparsimony.engine.hardware.CostTerms.Lut;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resource and latency model of a network as hls4ml's Vivado/Vitis backend builds it (rules, their hls4ml source
 * files and versions, and the measured errors in {@code docs/hardware-models.md}). DSP and BRAM follow hls4ml's
 * templates; LUT, FF and latency are sums of terms ({@link CostTerms}) whose factors a {@link Calibration} fitted on
 * the user's own reports can scale, and carry its error band.
 */
public final class FpgaModel {
    /** LUTs per adder bit of a dense adder tree (Vivado packs about two adder bits per LUT6 with its carry chain). */
    static final double TREE_LUT_PER_BIT = 0.6;
    /** LUTs per (input + output) bit of ReLU-like activations (hls4ml tutorial, Vitis 2024.1: 38 LUT per 16-bit element). */
    static final double RELU_LUT_PER_BIT = 1.2;
    /** LUTs per input bit of rounding/saturating casts (same report: a 16-bit to ufixed&lt;6,0,RND_CONV,SAT&gt; ReLU). */
    static final double REQUANT_LUT_PER_BIT = 4.0;
    /** LUTs per bit of the softmax's comparators, subtractors and table addressing (same report: 790 LUT at n = 5). */
    static final double SOFTMAX_LUT_PER_BIT = 3.5;
    /** Share of layer outputs the top-level pipeline registers (same report: 6 of 8 tensors). */
    static final double BOUNDARY_SHARE = 0.75;
    /** Flip-flops of one FIFO's control (hls4ml's test report: 5 FF per depth-1 FIFO). */
    static final int FIFO_CONTROL_FF = 5;
    /** LUTs of one FIFO's control (same report: 28 LUT per 16-bit depth-1 FIFO, of which 16 hold the data). */
    static final int FIFO_CONTROL_LUT = 12;

    private FpgaModel() {
    }

    /** What every layer's estimate needs besides the layer. */
    record Ctx(Device device, FpgaParams p, Hls4mlVersion version, IoType io, double periodNs, double usableNs,
               Calibration cal) {
        /** Adder levels that fit in one usable clock period. */
        int levelsPerCycle() {
            return Math.max(1, (int) Math.floor(usableNs / p.adderDelayNs() + 1e-9));
        }

        /** Register cuts of a combinational path of {@code delayNs}: cycles of latency it adds. */
        int cuts(double delayNs) {
            return Math.max(0, (int) Math.ceil(delayNs / usableNs - 1e-9) - 1);
        }
    }

    /** Estimates the whole model on a device. Throws {@link ModelException} for a layer the model cannot map. */
    public static FpgaEstimate estimate(Model model, HardwareConfig cfg, Device device) {
        double clock = cfg.clockFor(device);
        double period = 1000.0 / clock;
        double usable = Math.max(period * 0.05, period - cfg.uncertaintyNs(period));
        FpgaParams p = cfg.params();
        Ctx ctx = new Ctx(device, p, cfg.hls4mlVersion(), cfg.io(), period, usable, p.calibration());
        Map<String, int[]> shapes = model.inferShapes(1);
        Map<String, String> fusedInto = BatchNormFusion.fused(model, cfg.hls4mlVersion(), cfg.unspecifiedResults());
        Map<String, Op> folded = new HashMap<>();
        fusedInto.forEach((bn, into) -> folded.put(into, BatchNormFusion.fold(model.node(into).op(),
                (Ops.BatchNorm) model.node(bn).op())));
        Map<String, FixedPoint> inputPrecision = inputPrecisions(model, cfg, fusedInto.keySet());
        List<LayerEstimate> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (usable < p.adderDelayNs()) {
            // not even one adder fits in a period: timing closure is impossible, and the cycle counts below are not
            // a latency any build would reach
            notes.add(String.format(java.util.Locale.ROOT, "%.0f MHz is too fast for %s: one adder stage (%.1f ns) does"
                    + " not fit in the %.2f ns period; latency figures assume it does", clock, device.name(),
                    p.adderDelayNs(), period));
        }
        Map<String, Layout> layoutOf = new HashMap<>();
        Set<String> consumed = new HashSet<>();
        model.nodes().forEach(nd -> consumed.addAll(nd.inputs()));
        for (Node original : model.nodes()) {
            Layout layout = layoutOf(original, layoutOf);
            layoutOf.put(original.name(), layout);
            Node node = folded.containsKey(original.name()) ? original.withOp(folded.get(original.name())) : original;
            if (fusedInto.containsKey(node.name())) {
                // hls4ml removed it: no logic, no registers, no FIFO of its own
                rows.add(row(node, node.op().kind(), shapeText(shapes.get(node.name())),
                        cfg.layer(node.name()).reuseFactor(), "", 0, 0, new CostTerms(), 0, 1, 0,
                        "folded into " + fusedInto.get(node.name()) + " (hls4ml fuse_batch_normalization)", 0, ctx));
                continue;
            }
            LayerHwConfig lc = resolveReuse(node, shapes, cfg, notes);
            FixedPoint in = inputPrecision.get(node.name());
            int[] inShape = node.inputs().isEmpty() ? shapes.get(node.name()) : shapes.get(node.inputs().get(0));
            int[] outShape = shapes.get(node.name());
            LayerEstimate e = estimateNode(node, lc, in, inShape, outShape, ctx, notes);
            if (cfg.io() == IoType.STREAM && outShape.length > 2 && multSize(node.op()) == null) {
                e = perPixel(e, node, lc, in, inShape, outShape, layout, ctx, notes);
            }
            boolean internal = consumed.contains(node.name()) && !wiring(node.op());
            if (cfg.io() == IoType.STREAM) {
                e = internal ? withFifo(e, outShape, layout, lc.result(), ctx) : withoutBoundary(e, ctx);
            } else if (!internal) {
                e = withoutBoundary(e, ctx);
            }
            rows.add(e);
        }
        long dsp = 0;
        long bram = 0;
        long lut = 0;
        long ff = 0;
        long sum = 0;
        long interval = 1;
        double boundaryCycles = 0;
        long topFf = 0;
        for (LayerEstimate e : rows) {
            dsp += e.dsp();
            bram += e.bram18();
            lut += e.lut();
            ff += e.ff() + e.boundaryFf();
            topFf += e.boundaryFf();
            sum += e.latencyCycles();
            interval = Math.max(interval, e.intervalCycles());
            boundaryCycles += e.boundaryCycles();
        }
        Calibration cal = ctx.cal();
        long latency;
        long top;
        if (cfg.io() == IoType.PARALLEL) {
            // the model input is registered by the top level as well (ap_vld port register)
            long inFf = 0;
            for (ValueInfo v : model.inputs()) {
                inFf += Math.round(BOUNDARY_SHARE * features(shapes.get(v.name())) * cfg.input().width()
                        * cal.factor(Ff.BOUNDARY));
            }
            topFf += inFf;
            ff += inFf;
            top = Math.max(0, Math.round(boundaryCycles * cal.boundaryCycles() + cal.latencyOffset()));
            latency = sum + top;
        } else {
            // dataflow: every stage adds the time to its first output, one FIFO hand-over per stage boundary, and
            // the slowest stage the time to stream the rest of its items
            long first = 0;
            long rest = 0;
            int stages = 0;
            boolean unpipelinedBottleneck = false;
            for (LayerEstimate e : rows) {
                if (e.latencyCycles() == 0 && e.intervalCycles() <= 1) {
                    continue;
                }
                stages++;
                long perItem = Math.max(1, e.intervalCycles() / e.items());
                first += Math.max(1, e.latencyCycles() - (e.items() - 1) * perItem);
                rest = Math.max(rest, (e.items() - 1) * perItem);
                if (e.intervalCycles() == interval && e.items() == 1 && e.latencyCycles() > 1) {
                    unpipelinedBottleneck = true;
                }
            }
            top = Math.max(0, Math.round(Math.max(0, stages - 1) * cal.boundaryCycles() + cal.latencyOffset()));
            latency = first + rest + top;
            if (unpipelinedBottleneck) {
                interval++; // the dataflow region restarts a non-pipelined stage one cycle after it finishes
            }
        }
        if (cfg.io() == IoType.PARALLEL && model.nodes().stream().anyMatch(nd -> nd.op() instanceof Ops.Conv)
                && (dsp > device.dsp() || lut > device.lut() || ff > device.ff() || bram > device.bram18())) {
            // what a user of hls4ml would try next (hls4ml docs/api/concepts.rst: io_stream "is recommended for
            // larger CNN and RNN networks")
            notes.add("io_parallel keeps every feature map of the convolutions in parallel logic; hls4ml recommends"
                    + " io_stream for larger CNNs (one pixel at a time): try io_stream");
        }
        notes.add(versionNote(ctx.version()));
        double lutBand = p.lutBand();
        double ffBand = p.ffBand();
        if (cal.isNone()) {
            notes.add(String.format("LUT, FF and latency are first-order (LUT and FF +/-%.0f%%); calibrate them on"
                    + " your own reports with 'sparsimony calibrate'", p.lutFfUncertainty() * 100));
        } else {
            notes.add(String.format("calibrated on %d observations of %s: LUT +/-%.0f%%, FF +/-%.0f%%, latency"
                    + " +/-%.1f cycles", cal.points(), String.join(", ", cal.sources()), lutBand * 100,
                    ffBand * 100, cal.latencyBand()));
        }
        return new FpgaEstimate(device, clock, cfg.io(), rows, dsp, bram, lut, ff, latency, interval,
                Math.max(lutBand, ffBand), notes, topFf, top, lutBand, ffBand, cal.latencyBand(), ctx.version(), cal);
    }

    private static String versionNote(Hls4mlVersion v) {
        return "hls4ml " + v + " rules: " + (v.inlinesProduct()
                ? "constant weights folded at any reuse factor (nnet_mult.h INLINE)"
                : "product not inlined, every weight a multiplier (nnet_dense.h, v0.4)")
                + (v.stableSoftmaxByDefault() ? ", stable softmax by default" : ", softmax follows the strategy")
                + (v.limitsSoftmaxTable() ? ", softmax tables limited to the input width" : "");
    }

    /** Feature-map layout of a node's output: its own for Conv/Pool/BatchNorm, else its input's (Keras default). */
    private static Layout layoutOf(Node node, Map<String, Layout> known) {
        Op op = node.op();
        if (op instanceof Ops.Conv c) {
            return c.layout();
        }
        if (op instanceof Ops.Pool pl) {
            return pl.layout();
        }
        if (op instanceof Ops.GlobalPool g) {
            return g.layout();
        }
        if (op instanceof Ops.BatchNorm b) {
            return b.layout();
        }
        return node.inputs().isEmpty() ? Layout.CHANNELS_LAST
                : known.getOrDefault(node.inputs().get(0), Layout.CHANNELS_LAST);
    }

    /** Ops that change no value: hls4ml keeps their tensor in place (no register, no FIFO). */
    static boolean wiring(Op op) {
        return op instanceof Ops.Flatten || op instanceof Ops.Reshape || op instanceof Ops.Identity
                || op instanceof Ops.Transpose || op instanceof Ops.Constant || op instanceof Ops.Cast
                || op instanceof Ops.QuantizeLinear || op instanceof Ops.DequantizeLinear;
    }

    private static LayerEstimate withoutBoundary(LayerEstimate e, Ctx ctx) {
        CostTerms t = e.terms();
        t.add(Ff.BOUNDARY, -t.get(Ff.BOUNDARY));
        return new LayerEstimate(e.name(), e.kind(), e.shape(), e.reuseFactor(), e.strategy(), e.dsp(), e.bram18(),
                e.lut(), e.ff(), e.latencyCycles(), e.intervalCycles(), e.multipliers(), e.note(), 0,
                e.boundaryCycles(), t, e.items());
    }

    /**
     * io_stream: the layer's output is a stream of packed pixels (hls4ml fpga_types.py StreamVariableConverter:
     * depth = elements / channels) that Vivado splits into one FIFO per channel; a FIFO of at least
     * {@link FpgaParams#romBramMinBits()} bits goes to block RAM, a smaller one to shift registers.
     */
    private static LayerEstimate withFifo(LayerEstimate e, int[] outShape, Layout layout, FixedPoint type, Ctx ctx) {
        int ca = outShape.length > 2 ? layout.channelAxis(outShape.length) : outShape.length - 1;
        long channels = outShape[ca];
        long depth = Math.max(1, features(outShape) / Math.max(1, channels));
        int w = type.width();
        long bits = depth * w;
        CostTerms t = e.terms();
        t.add(Ff.BOUNDARY, -t.get(Ff.BOUNDARY));
        long bram = 0;
        String what;
        if (bits >= ctx.p().romBramMinBits() && depth > 2) {
            long perFifo = Math.max(KernelModel.ceilDiv(depth, 1024) * KernelModel.ceilDiv(w, 18),
                    KernelModel.ceilDiv(bits, 18432));
            bram = channels * perFifo;
            t.addFifoBram(bram);
            t.add(Ff.FIFO, channels * FIFO_CONTROL_FF);
            t.add(Lut.FIFO, channels * FIFO_CONTROL_LUT);
            what = channels + " FIFOs " + depth + "x" + w + " in BRAM";
        } else {
            t.add(Ff.FIFO, channels * FIFO_CONTROL_FF);
            t.add(Lut.FIFO, channels * (KernelModel.ceilDiv(depth, 32) * (double) w + FIFO_CONTROL_LUT));
            what = channels + " FIFOs " + depth + "x" + w + " in shift registers";
        }
        Calibration cal = ctx.cal();
        return new LayerEstimate(e.name(), e.kind(), e.shape(), e.reuseFactor(), e.strategy(), e.dsp(),
                e.bram18() + bram, t.lut(cal), t.instanceFf(cal), e.latencyCycles(), e.intervalCycles(),
                e.multipliers(), join(e.note(), what), 0, e.boundaryCycles(), t, e.items());
    }

    private static String join(String a, String b) {
        return a == null || a.isEmpty() ? b : a + "; " + b;
    }

    /**
     * io_stream: a weightless layer on a feature map gets one pixel (all channels) per cycle, so its hardware is
     * sized for the channels and its interval is the number of pixels (hls4ml's nnet_*_stream.h).
     */
    private static LayerEstimate perPixel(LayerEstimate whole, Node node, LayerHwConfig lc, FixedPoint in,
                                          int[] inShape, int[] outShape, Layout layout, Ctx ctx, List<String> notes) {
        int ca = layout.channelAxis(outShape.length);
        long channels = outShape[ca];
        long pixels = Math.max(1, features(outShape) / Math.max(1, channels));
        if (whole.latencyCycles() == 0 && whole.lut() == 0) {
            return whole; // wiring
        }
        if (node.op() instanceof Ops.Pool || node.op() instanceof Ops.GlobalPool) {
            // pooling keeps its window logic per channel and reads its input pixel by pixel
            CostTerms t = whole.terms();
            scale(t, 1.0 / pixels);
            long inPixels = Math.max(1, features(inShape) / Math.max(1, inShape[layout.channelAxis(inShape.length)]));
            return new LayerEstimate(whole.name(), whole.kind(), whole.shape(), whole.reuseFactor(),
                    whole.strategy(), whole.dsp(), whole.bram18(), t.lut(ctx.cal()), t.instanceFf(ctx.cal()),
                    whole.latencyCycles() + inPixels + 1, inPixels, whole.multipliers(),
                    whole.note() + " (per pixel, " + inPixels + " input pixels)", 0, whole.boundaryCycles(), t,
                    inPixels);
        }
        int[] pixelShape = {1, outShape[ca]};
        int[] pixelIn = {1, inShape.length == outShape.length ? inShape[layout.channelAxis(inShape.length)]
                : outShape[ca]};
        LayerEstimate e = estimateNode(node, lc, in, pixelIn, pixelShape, ctx, notes);
        // read, compute, write pipelined over the pixels (one pixel per cycle)
        return new LayerEstimate(e.name(), e.kind(), whole.shape(), e.reuseFactor(), e.strategy(), e.dsp(),
                e.bram18(), e.lut(), e.ff(), e.latencyCycles() + 2 + pixels - 1, pixels, e.multipliers(),
                e.note() + " (per pixel, " + pixels + " pixels)", 0, e.boundaryCycles(), e.terms(), pixels);
    }

    private static void scale(CostTerms t, double f) {
        for (Lut l : Lut.values()) {
            t.add(l, t.get(l) * (f - 1));
        }
        for (Ff x : Ff.values()) {
            t.add(x, t.get(x) * (f - 1));
        }
    }

    private static boolean passesPrecision(Op op) {
        return op instanceof Ops.Flatten || op instanceof Ops.Reshape || op instanceof Ops.Identity
                || op instanceof Ops.Transpose || op instanceof Ops.Concat || op instanceof Ops.QuantizeLinear
                || op instanceof Ops.DequantizeLinear || op instanceof Ops.Pool || op instanceof Ops.GlobalPool
                || op instanceof Ops.Pad || op instanceof Ops.Upsample || op instanceof Ops.Cast;
    }

    /**
     * The settings a layer is built with: its own or the defaults, with an invalid Resource/unrolled reuse factor
     * replaced by hls4ml's closest valid one (or refused, in strict mode). The structures that follow the hardware
     * (dsp-pattern, bram-block) use this reuse factor.
     */
    public static LayerHwConfig effectiveLayer(Node node, HardwareConfig cfg) {
        return resolveReuse(node, null, cfg, new ArrayList<>());
    }

    /**
     * The precision of the data entering each node's first input (hls4ml's input_t of the layer): the model input
     * type, or the result type of the producing layer (layers that pass data through keep their input's type).
     */
    public static Map<String, FixedPoint> inputPrecisions(Model model, HardwareConfig cfg) {
        return inputPrecisions(model, cfg, BatchNormFusion.fused(model, cfg.hls4mlVersion(),
                cfg.unspecifiedResults()).keySet());
    }

    /** As above, where the BatchNorms in {@code folded} pass on their input's type (hls4ml removed them). */
    static Map<String, FixedPoint> inputPrecisions(Model model, HardwareConfig cfg, Set<String> folded) {
        Map<String, FixedPoint> precisionOf = new HashMap<>();
        model.inputs().forEach(v -> precisionOf.put(v.name(), cfg.input()));
        Map<String, FixedPoint> in = new HashMap<>();
        for (Node node : model.nodes()) {
            LayerHwConfig lc = cfg.layer(node.name());
            FixedPoint p = node.inputs().isEmpty() ? lc.result() : precisionOf.getOrDefault(node.inputs().get(0),
                    cfg.input());
            in.put(node.name(), p);
            precisionOf.put(node.name(), folded.contains(node.name())
                    || passesPrecision(node.op()) && !cfg.layers().containsKey(node.name()) ? p : lc.result());
        }
        return in;
    }

    /**
     * The layer's settings as hls4ml's Vivado backend builds them (vivado_backend.py init_dense/init_conv*): the
     * reuse factor is validated for Resource and unrolled only, unrolled excludes RF = n_in*n_out
     * ({@code include_max_rf=False}), unrolled at RF 1 (and for convolutions with io_parallel) falls back to
     * Resource, and unrolled does not exist before v1.0.0.
     */
    static LayerHwConfig resolveReuse(Node node, Map<String, int[]> shapes, HardwareConfig cfg, List<String> notes) {
        LayerHwConfig lc = cfg.layer(node.name());
        int[] mn = multSize(node.op());
        if (mn == null || lc.strategy() == Strategy.LATENCY) {
            // hls4ml validates the reuse factor only for the Resource strategy (vivado_backend.py init_dense/conv)
            return lc;
        }
        if (lc.strategy() == Strategy.UNROLLED) {
            String why = null;
            if (!cfg.hls4mlVersion().hasUnrolledStrategy()) {
                notes.add("layer '" + node.name() + "': hls4ml " + cfg.hls4mlVersion() + " has no unrolled strategy"
                        + " (resource_unrolled arrived in 1.0.0); costed as Latency, as hls4ml falls back");
                return lc.withStrategy(Strategy.LATENCY);
            }
            if (lc.reuseFactor() == 1) {
                why = "reuse factor 1";
            } else if (node.op() instanceof Ops.Conv && cfg.io() == IoType.PARALLEL) {
                why = "io_parallel";
            }
            if (why != null) {
                notes.add("layer '" + node.name() + "': the unrolled strategy cannot be combined with " + why
                        + "; hls4ml uses Resource instead (vivado_backend.py)");
                lc = lc.withStrategy(Strategy.RESOURCE);
            }
        }
        int rf = lc.reuseFactor();
        boolean unrolled = lc.strategy() == Strategy.UNROLLED;
        List<Integer> valid = ReuseFactors.valid(mn[0], mn[1]);
        if (unrolled) {
            valid = ReuseFactors.withoutMaximum(valid, mn[0], mn[1]);
        }
        if (valid.contains(rf)) {
            return lc;
        }
        List<Integer> near = ReuseFactors.neighbours(valid, rf);
        String nearText = near.stream().map(String::valueOf).reduce((a, b) -> a + " or " + b).orElse("none");
        String reason = unrolled && rf == mn[0] * mn[1] ? " (the unrolled strategy excludes RF = n_in*n_out)" : "";
        if (cfg.strictReuse()) {
            throw new ModelException("reuse factor " + rf + " is not valid for layer '" + node.name() + "' ("
                    + mn[0] + "x" + mn[1] + ")" + reason + "; nearest valid: " + nearText);
        }
        if (valid.isEmpty()) {
            throw new ModelException("layer '" + node.name() + "' (" + mn[0] + "x" + mn[1] + ") has no valid reuse"
                    + " factor for the " + lc.strategy().label() + " strategy");
        }
        int chosen = ReuseFactors.closest(valid, rf);
        notes.add("layer '" + node.name() + "': reuse factor " + rf + " is not valid for " + mn[0] + "x" + mn[1]
                + reason + " (nearest valid " + nearText + "); using " + chosen + " as hls4ml does");
        return lc.withReuseFactor(chosen);
    }

    /** hls4ml's get_layer_mult_size: (n_in, n_out) of the matrix multiply, null for ops without one. */
    static int[] multSize(Op op) {
        if (op instanceof Ops.Dense d) {
            return new int[] {d.nIn(), d.nOut()};
        }
        if (op instanceof Ops.Conv c) {
            return new int[] {c.matrixRows(), c.outChannels()};
        }
        return null;
    }

    static long features(int[] shape) {
        long f = 1;
        for (int i = 1; i < shape.length; i++) {
            f *= shape[i];
        }
        return f;
    }

    /** A row from its terms: LUT and FF after the calibration, boundary registers of the output. */
    private static LayerEstimate row(Node node, String kind, String shape, int rf, String strategy, long dsp,
                                     long bram, CostTerms t, long latency, long interval, long mults, String note,
                                     long boundaryCycles, Ctx ctx) {
        Calibration c = ctx.cal();
        return new LayerEstimate(node.name(), kind, shape, rf, strategy, dsp, bram, t.lut(c), t.instanceFf(c),
                latency, Math.max(1, interval), mults, note, t.boundaryFf(c), boundaryCycles, t, 1);
    }

    /** Registers on a layer's output at the top level (io_parallel); removed again for the network's outputs. */
    private static void boundary(CostTerms t, long outputs, int width) {
        t.add(Ff.BOUNDARY, BOUNDARY_SHARE * outputs * width);
    }

    /** Rounding or saturation logic of a cast from {@code from} bits to type {@code to}. */
    private static void requant(CostTerms t, long elements, int fromWidth, FixedPoint to) {
        if (to.rounding() != FixedPoint.Rounding.TRUNCATE || to.overflow() != FixedPoint.Overflow.WRAP) {
            t.add(Lut.REQUANT, REQUANT_LUT_PER_BIT * elements * fromWidth);
        }
    }

    /**
     * A BatchNorm of its own (nnet_batchnorm.h {@code normalize}): per element a product with its channel's scale
     * and an add of its shift. The scales are constants of the instance ({@code #pragma HLS function_instantiate
     * variable=scale,bias}), so at RF 1 with the Latency strategy the tool folds them as it folds Dense weights
     * (since v0.5, {@code product} inlined): a DSP, a shift-and-add or wiring per channel constant
     * ({@link KernelModel}). Otherwise {@code ALLOCATION ... mul limit=ceil(n/RF)} generic multipliers.
     */
    private static LayerEstimate batchNorm(Node node, Ops.BatchNorm bn, LayerHwConfig lc, FixedPoint in, long n,
                                           String shape, int w, Ctx ctx) {
        FpgaParams p = ctx.p();
        CostTerms t = new CostTerms();
        int channels = bn.channels();
        long pixels = Math.max(1, n / channels);
        long dsp;
        long mults;
        double multNs;
        KernelModel km = null;
        if (lc.reuseFactor() == 1 && lc.strategy() == Strategy.LATENCY && lc.product() == LayerHwConfig.Product.MULT
                && ctx.version().inlinesProduct() && n % channels == 0) {
            double[] scale = bn.affine()[0];
            float[] sf = new float[channels];
            for (int c = 0; c < channels; c++) {
                sf[c] = (float) scale[c];
            }
            km = new KernelModel(sf, 1, channels, lc, in.width(), ctx.device(), p, ctx.version());
        }
        if (km != null) {
            long d = 0;
            long m = 0;
            double lut = 0;
            boolean anyDsp = false;
            int maxDigits = 1;
            for (int c = 0; c < channels; c++) {
                int dc = km.dspOfConstant(c);
                d += dc;
                lut += km.constantLut(c);
                if (dc > 0) {
                    anyDsp = true;
                    m++;
                } else {
                    maxDigits = Math.max(maxDigits, km.csdDigits(c));
                }
            }
            dsp = pixels * d;
            mults = pixels * m;
            t.add(Lut.CONST_ADDERS, pixels * lut);
            multNs = anyDsp ? p.multDelayNs() : p.adderDelayNs() * Math.max(1, ceilLog2(maxDigits));
        } else {
            int perMult = KernelModel.dspPerMultiplier(lc.weight().width(), in.width(), ctx.device(), p);
            mults = KernelModel.ceilDiv(n, lc.reuseFactor());
            dsp = mults * perMult;
            if (perMult == 0) {
                t.add(Lut.FABRIC_MULT, mults * lc.weight().width() * in.width() * p.lutPerFabricMultBit());
            }
            multNs = perMult > 0 ? p.multDelayNs() : p.adderDelayNs() * 3;
        }
        t.add(Lut.ADDER_TREE, n * (double) w * TREE_LUT_PER_BIT);
        long lat = ctx.cuts(multNs + p.adderDelayNs()) + lc.reuseFactor() - 1L;
        if (lat > 0) {
            t.add(Ff.PIPELINE, n * (double) w).add(Ff.CONTROL, p.controlFf()).add(Lut.CONTROL, p.controlLut());
        }
        boundary(t, n, w);
        return row(node, bn.kind(), shape, lc.reuseFactor(), "", dsp, 0, t, lat, lc.reuseFactor(), n,
                "scale and shift per element (nnet_batchnorm.h)" + (km != null ? ", constant scales: " + mults
                        + " multipliers (" + dsp + " DSP)" : ""), 1, ctx);
    }

    /** A layer's output shape for the table, batch axis dropped: "[30, 30, 16]". */
    private static String shapeText(int[] outShape) {
        return Arrays.toString(Arrays.copyOfRange(outShape, 1, outShape.length));
    }

    static LayerEstimate estimateNode(Node node, LayerHwConfig lc, FixedPoint in, int[] inShape, int[] outShape,
                                      Ctx ctx, List<String> notes) {
        Op op = node.op();
        String shape = shapeText(outShape);
        if (op instanceof Ops.Dense d) {
            long pixels = features(outShape) / d.nOut();
            return kernelLayer(node, d.kernel().data(), d.nIn(), d.nOut(), pixels, pixels, lc, in, shape, ctx, 0);
        }
        if (op instanceof Ops.Conv c) {
            long outPixels = features(outShape) / c.outChannels();
            long inPixels = features(inShape) / ((long) c.inChannelsPerGroup() * c.groups());
            long lineBuffer = 0;
            if (ctx.io() == IoType.STREAM) {
                // line buffer of (kh-1) rows in shift registers (SRL32: 32 bits of delay per LUT)
                int[] k = c.kernelSize();
                long rowsHeld = k.length == 2 ? k[0] - 1L : 0;
                long width = c.layout().spatialAxis(inShape.length, k.length - 1);
                long rowLen = inShape[(int) width];
                long bits = (rowsHeld * rowLen + k[k.length - 1] - 1) * c.inChannelsPerGroup() * c.groups()
                        * in.width();
                lineBuffer = KernelModel.ceilDiv(bits, 32);
            }
            long pixelsForInterval = ctx.io() == IoType.STREAM ? inPixels : outPixels;
            return kernelLayer(node, c.kernel().data(), c.matrixRows(), c.outChannels(), outPixels, pixelsForInterval,
                    lc, in, shape, ctx, lineBuffer);
        }
        int w = lc.result().width();
        long n = features(outShape);
        FpgaParams p = ctx.p();
        if (op instanceof Ops.Activation a) {
            return activation(node, a.activation(), lc, in, n, shape, ctx);
        }
        if (op instanceof Ops.PRelu || op instanceof Ops.ThresholdedRelu) {
            return activation(node, ActivationKind.LEAKY_RELU, lc, in, n, shape, ctx);
        }
        if (op instanceof Ops.Softmax) {
            return softmax(node, lc, in, n, shape, ctx);
        }
        if (op instanceof Ops.BatchNorm bn) {
            return batchNorm(node, bn, lc, in, n, shape, w, ctx);
        }
        if (op instanceof Ops.Binary b) {
            CostTerms t = new CostTerms();
            long dsp = 0;
            long lat = 0;
            if (b.op() == Ops.BinaryKind.MUL) {
                int perMult = KernelModel.dspPerMultiplier(w, w, ctx.device(), p);
                dsp = n * perMult;
                if (perMult == 0) {
                    t.add(Lut.FABRIC_MULT, n * (double) w * w * p.lutPerFabricMultBit());
                }
                lat = ctx.cuts(p.multDelayNs());
            } else if (b.op() == Ops.BinaryKind.DIV) {
                throw cannotMap(node, "element-wise division of two tensors has no hls4ml implementation");
            } else {
                t.add(Lut.ADDER_TREE, n * (double) w);
            }
            boundary(t, n, w);
            return row(node, op.kind(), shape, 0, "", dsp, 0, t, lat, 1, 0, "element-wise (nnet_merge.h)", 0, ctx);
        }
        if (op instanceof Ops.Pool pool) {
            long window = 1;
            for (int k : pool.kernel()) {
                window *= k;
            }
            return pooling(node, pool.pool(), window, n, shape, w, ctx);
        }
        if (op instanceof Ops.GlobalPool gp) {
            long window = features(inShape) / Math.max(1, n);
            return pooling(node, gp.pool(), window, n, shape, w, ctx);
        }
        if (op instanceof Ops.Concat || op instanceof Ops.Pad || op instanceof Ops.Upsample) {
            CostTerms t = new CostTerms();
            boundary(t, n, w);
            return row(node, op.kind(), shape, 0, "", 0, 0, t, 0, 1, 0, "data movement only", 0, ctx);
        }
        if (op instanceof QuantOps.Quant || op instanceof QuantOps.Trunc || op instanceof QuantOps.Requantize
                || op instanceof QuantOps.BipolarQuant) {
            // an activation quantizer: hls4ml builds it as an activation whose result type rounds and saturates
            // (QKeras quantized_relu -> relu with ufixed<b,i,RND_CONV,SAT>, quantized_bits -> linear; hls4ml
            // converters/keras/qkeras.py and utils/config.py); an unsigned one also clamps at zero like a ReLU
            CostTerms t = new CostTerms();
            boolean clamps = op instanceof QuantOps.Quant q && !q.signed() || op instanceof QuantOps.BipolarQuant;
            if (clamps) {
                t.add(Lut.ACTIVATION, RELU_LUT_PER_BIT * n * (in.width() + w));
            }
            t.add(Lut.REQUANT, REQUANT_LUT_PER_BIT * n * in.width());
            boundary(t, n, w);
            return row(node, op.kind(), shape, 0, "", 0, 0, t, 0, 1, 0, "quantizer to " + lc.result().hlsType()
                    + (clamps ? ", clamped at zero" : ""), 0, ctx);
        }
        if (wiring(op)) {
            return row(node, op.kind(), shape, 0, "", 0, 0, new CostTerms(), 0, 1, 0, "wiring only", 0, ctx);
        }
        throw cannotMap(node, "a product of two run-time tensors is not a layer hls4ml maps");
    }

    private static ModelException cannotMap(Node node, String why) {
        return new ModelException("layer '" + node.name() + "' (" + node.op().kind()
                + ") cannot be mapped to the FPGA: " + why);
    }

    static int ceilLog2(long x) {
        return x <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(x - 1);
    }

    /** {BRAM18, LUT} of {@code copies} tables of {@code size} entries of {@code width} bits. */
    private static long[] rom(long copies, int size, int width, FpgaParams p) {
        long bits = (long) size * width;
        if (bits >= p.romBramMinBits()) {
            // a BRAM18 holds 18 Kb in 1K x 18 (or 2K x 9, 512 x 36) shape
            long perCopy = Math.max(KernelModel.ceilDiv(size, 1024) * KernelModel.ceilDiv(width, 18),
                    KernelModel.ceilDiv(bits, 18432));
            return new long[] {copies * perCopy, 0};
        }
        // distributed ROM: a LUT6 holds 64 x 1 bits
        return new long[] {0, copies * KernelModel.ceilDiv(size, 64) * width};
    }

    private static int width(FixedPoint t, int dflt) {
        return t == null ? dflt : t.width();
    }

    /**
     * Softmax (nnet_activation.h softmax_latency / softmax_stable): every input looks up exp in a table (a dual-port
     * ROM serves two lookups, so io_parallel replicates it), the sum indexes an inverse table, n products scale the
     * exponentials; the stable version first subtracts the maximum (a comparator tree).
     */
    private static LayerEstimate softmax(Node node, LayerHwConfig lc, FixedPoint in, long n, String shape, Ctx ctx) {
        FpgaParams p = ctx.p();
        LayerHwConfig.TableSettings ts = lc.tables();
        String impl = ts.softmaxImplementation() != null ? ts.softmaxImplementation()
                : ctx.version().stableSoftmaxByDefault() ? "stable" : "latency";
        int expW = width(ts.expTable(), width(ts.table(), p.tableWidth()));
        int invW = width(ts.invTable(), width(ts.table(), p.tableWidth()));
        int size = ts.tableSize() != null ? ts.tableSize() : p.tableSize();
        String sizeNote = "";
        if (ctx.version().limitsSoftmaxTable() && in.width() < 31 && (1L << Math.min(in.width(), invW)) < size) {
            size = 1 << Math.min(in.width(), invW);
            sizeNote = ", table limited to " + size + " entries (fix_softmax_table_size.py)";
        }
        int w = lc.result().width();
        int acc = lc.accumulator().width();
        CostTerms t = new CostTerms();
        int levels = ceilLog2(n);
        if (impl.equals("skip")) {
            return row(node, "Softmax", shape, 0, "", 0, 0, t, 0, 1, 0, "skipped (hls4ml 'skip': the output is the"
                    + " input)", 0, ctx);
        }
        if (impl.equals("argmax")) {
            t.add(Lut.ACTIVATION, SOFTMAX_LUT_PER_BIT * (n - 1) * in.width());
            long lat = ctx.cuts(levels * p.adderDelayNs());
            return row(node, "Softmax", shape, 0, "", 0, 0, t, lat, 1, 0, "argmax: comparator tree", 0, ctx);
        }
        boolean stable = impl.equals("stable");
        long[] expRom = rom(KernelModel.ceilDiv(n, 2), size, expW, p);
        long[] invRom = rom(1, size, invW, p);
        int perMult = KernelModel.dspPerMultiplier(acc, invW, ctx.device(), p);
        long dsp = n * perMult;
        if (perMult == 0) {
            t.add(Lut.FABRIC_MULT, n * (double) acc * invW * p.lutPerFabricMultBit());
        }
        double compare = (stable ? (n - 1) * in.width() + n * in.width() : 0) + n * ceilLog2(size);
        t.add(Lut.ACTIVATION, SOFTMAX_LUT_PER_BIT * compare);
        t.add(Lut.ADDER_TREE, (n - 1) * (double) expW);
        t.add(Lut.MEMORY, expRom[1] + invRom[1]);
        t.add(Lut.CONTROL, p.controlLut());
        requant(t, n, acc, lc.result());
        double mult = perMult > 0 ? p.multDelayNs() : p.adderDelayNs() * ceilLog2(Math.min(acc, invW));
        // ROM reads are registered: one cycle each for the exp and the inverse table
        long lat = stable ? 2 + ctx.cuts(2.0 * levels * p.adderDelayNs() + mult) + 1
                : 1 + ctx.cuts(levels * p.adderDelayNs() + mult) + 1;
        t.add(Ff.PIPELINE, lat * (double) n * in.width()).add(Ff.CONTROL, p.controlFf());
        boundary(t, n, w);
        return row(node, "Softmax", shape, 0, "", dsp, expRom[0] + invRom[0], t, lat, 1, n,
                impl + " softmax: exp table x " + KernelModel.ceilDiv(n, 2) + " + inverse table, " + size + "x"
                        + expW + sizeNote, 0, ctx);
    }

    private static LayerEstimate activation(Node node, ActivationKind kind, LayerHwConfig lc, FixedPoint in, long n,
                                            String shape, Ctx ctx) {
        FpgaParams p = ctx.p();
        int w = lc.result().width();
        int win = in.width();
        String k = kind.label();
        CostTerms t = new CostTerms();
        requant(t, n, win, lc.result());
        boundary(t, n, w);
        switch (kind) {
            case LINEAR -> {
                return row(node, k, shape, 0, "", 0, 0, t, 0, 1, 0, "cast only", 0, ctx);
            }
            case RELU -> {
                // comparator and multiplexer per element; combinational (latency 0 in the HLS reports)
                t.add(Lut.ACTIVATION, RELU_LUT_PER_BIT * n * (win + w));
                return row(node, k, shape, 0, "", 0, 0, t, 0, 1, 0, "comparator and mux per element", 0, ctx);
            }
            case CLIP, HARD_SIGMOID, LEAKY_RELU -> {
                // two comparisons, or a constant product (shift-and-add) and a comparison
                t.add(Lut.ACTIVATION, 2 * RELU_LUT_PER_BIT * n * (win + w));
                long lat = kind == ActivationKind.CLIP ? 0 : ctx.cuts(3 * p.adderDelayNs()) + 0L;
                if (lat > 0) {
                    t.add(Ff.PIPELINE, n * (double) w);
                }
                return row(node, k, shape, 0, "", 0, 0, t, lat, 1, 0, "constant arithmetic and clipping in LUTs", 0,
                        ctx);
            }
            default -> {
                // sigmoid, tanh, ELU, SELU, softplus, softsign: one lookup table; io_parallel reads all n entries at
                // once and a dual-port ROM serves two lookups (nnet_activation.h)
                LayerHwConfig.TableSettings ts = lc.tables();
                int size = ts.tableSize() != null ? ts.tableSize() : p.tableSize();
                int tw = width(ts.table(), p.tableWidth());
                long copies = KernelModel.ceilDiv(n, 2);
                long[] rom = rom(copies, size, tw, p);
                t.add(Lut.ACTIVATION, n * (double) win).add(Lut.MEMORY, rom[1]).add(Lut.CONTROL, p.controlLut());
                t.add(Ff.PIPELINE, n * (double) w).add(Ff.CONTROL, p.controlFf());
                return row(node, k, shape, 0, "", 0, rom[0], t, 1, 1, 0, "lookup table " + size + "x" + tw + " x "
                        + copies + (rom[0] > 0 ? " in BRAM" : " in LUTRAM"), 0, ctx);
            }
        }
    }

    private static LayerEstimate pooling(Node node, Ops.PoolKind kind, long window, long n, String shape, int w,
                                         Ctx ctx) {
        CostTerms t = new CostTerms();
        t.add(Lut.ACTIVATION, n * Math.max(0, window - 1) * (double) w);
        long lat = ctx.cuts(ceilLog2(window) * ctx.p().adderDelayNs());
        if (lat > 0) {
            t.add(Ff.PIPELINE, n * (double) w);
        }
        boundary(t, n, w);
        return row(node, node.op().kind(), shape, 0, "", 0, 0, t, lat, 1, 0,
                (kind == Ops.PoolKind.MAX ? "comparator" : "adder") + " tree of " + window, 0, ctx);
    }

    private static LayerEstimate kernelLayer(Node node, float[] kernel, int nIn, int nOut, long pixels,
                                             long pixelsForInterval, LayerHwConfig lc, FixedPoint in, String shape,
                                             Ctx ctx, long lineBufferLut) {
        FpgaParams p = ctx.p();
        KernelModel km = new KernelModel(kernel, nIn, nOut, lc, in.width(), ctx.device(), p, ctx.version());
        int wW = km.weightWidth;
        int dW = km.dataWidth;
        int acc = km.accWidth;
        int rf = km.rf;
        long mults = km.multiplierInstances();
        long dsp = km.dsp();
        long bram = km.bram18();
        int[] m = km.productsPerOutput();
        int maxM = 0;
        long sumM = 0;
        for (int x : m) {
            maxM = Math.max(maxM, x);
            sumM += x;
        }
        CostTerms t = new CostTerms();
        t.add(Lut.MEMORY, lineBufferLut);
        long latency;
        String note;
        if (lc.strategy() == Strategy.LATENCY) {
            double multStage;
            if (km.constantsVisible() && !km.limitBinds()) {
                boolean anyDsp = false;
                int maxDigits = 1;
                for (int k = 0; k < km.n; k++) {
                    if (km.codes[k] == 0) {
                        continue;
                    }
                    t.add(Lut.CONST_ADDERS, km.constantLut(k));
                    if (km.dspOfConstant(k) > 0) {
                        anyDsp = true;
                    } else {
                        maxDigits = Math.max(maxDigits, km.csd[k]);
                    }
                }
                // every product enters its output's adder tree: m products + bias = m adders
                t.add(Lut.ADDER_TREE, sumM * (double) acc * TREE_LUT_PER_BIT);
                multStage = anyDsp ? p.multDelayNs() : p.adderDelayNs() * ceilLog2(maxDigits);
                note = "constant weights: " + mults + " multipliers (" + dsp + " DSP) of " + km.nonZero() + " non-zero";
            } else {
                // generic multipliers shared over the RF cycles: v0.4 (product not inlined), the ALLOCATION limit
                // binding, or products that are shifts/sign selections
                t.add(Lut.FABRIC_MULT, (km.product == LayerHwConfig.Product.MULT ? mults : sumM) * km.fabricMultLut());
                if (km.constantsVisible()) {
                    for (int k = 0; k < km.n; k++) {
                        if (km.codes[k] != 0 && !km.needsMultiplier(k)) {
                            t.add(Lut.CONST_ADDERS, km.constantLut(k));
                        }
                    }
                }
                t.add(Lut.ADDER_TREE, KernelModel.ceilDiv(sumM, rf) * (double) acc * TREE_LUT_PER_BIT);
                if (rf > 1) {
                    t.add(Lut.MUX, mults * (double) (wW + dW) * KernelModel.ceilDiv(rf, 4));
                    t.add(Ff.PIPELINE, nOut * (double) acc);
                }
                multStage = km.product != LayerHwConfig.Product.MULT ? p.adderDelayNs()
                        : km.dspPerMult > 0 ? p.multDelayNs() : p.adderDelayNs() * ceilLog2(Math.min(wW, dW));
                note = "multiplier_limit = ceil(n/RF) - zeros/RF = " + km.multiplierLimit()
                        + (km.limitBinds() ? " (binds: constants share multipliers)" : "");
            }
            int levels = ceilLog2(maxM + 1L);
            double delay = multStage + levels * p.adderDelayNs();
            int cuts = ctx.cuts(delay);
            // registers at each cut: the partial sums of every output tree that cross it
            for (int j = 1; j <= cuts; j++) {
                int done = (int) Math.floor((j * ctx.usableNs() - multStage) / p.adderDelayNs());
                double regs = 0;
                for (int x : m) {
                    regs += done < 0 ? x : Math.ceil((x + 1.0) / Math.pow(2, Math.min(done, 62)));
                }
                t.add(Ff.PIPELINE, regs * acc / rf);
            }
            // folded constants keep their logic at any RF: the pipeline only accepts a new input every RF cycles
            // (hls4ml tutorial, RF 2: every dense layer still 1 cycle, interval 2); shared multipliers (v0.4)
            // take the RF issue cycles
            latency = (km.constantsVisible() ? 0 : rf - 1) + cuts;
        } else {
            int bf = km.blockFactor();
            long multScale = Math.max(1, bf / nOut);
            t.add(Lut.FABRIC_MULT, mults * km.fabricMultLut());
            t.add(Lut.ADDER_TREE, (mults + (multScale > 1 ? nOut : 0)) * (double) acc);
            if (rf > 1) {
                t.add(Lut.MUX, mults * (double) dW * KernelModel.ceilDiv(Math.min(rf, nIn), 4));
            }
            t.add(Ff.PIPELINE, mults * (double) (dW + acc) + nOut * (double) acc);
            // RF accumulation cycles, BRAM read, multiplier stage, final sum of the mult_scale partial sums
            latency = rf + (rf > 1 ? 1 : 0) + 1 + KernelModel.ceilDiv(ceilLog2(multScale + 1), ctx.levelsPerCycle());
            note = "block_factor " + bf + ", " + km.zeroPatterns() + " all-zero patterns"
                    + (km.usesBram() ? ", ROM " + km.bramColumns() + " x 36-bit columns, depth " + rf : "");
        }
        if (acc != lc.result().width()) {
            requant(t, nOut, acc, lc.result());
        }
        if (latency > 0) {
            t.add(Lut.CONTROL, p.controlLut()).add(Ff.CONTROL, p.controlFf());
        }
        long interval = rf * Math.max(1, pixelsForInterval);
        if (pixels > 1) {
            latency += (pixelsForInterval - 1) * rf;
        }
        if (ctx.io() == IoType.STREAM) {
            // read the input packet(s), compute, write the result (nnet_dense_stream.h / nnet_conv_stream.h)
            latency += 2;
            if (pixels == 1) {
                interval = Math.max(interval, latency); // one call per inference, not pipelined across calls
            }
        }
        boundary(t, nOut * pixels, lc.result().width());
        LayerEstimate e = row(node, node.op().kind(), shape, rf, lc.strategy().label(), dsp, bram, t, latency,
                interval, km.nonZero() * pixels, note, 1, ctx);
        if (ctx.io() == IoType.STREAM && pixels > 1) {
            return new LayerEstimate(e.name(), e.kind(), e.shape(), e.reuseFactor(), e.strategy(), e.dsp(),
                    e.bram18(), e.lut(), e.ff(), e.latencyCycles(), e.intervalCycles(), e.multipliers(), e.note(),
                    e.boundaryFf(), e.boundaryCycles(), e.terms(), pixelsForInterval);
        }
        return e;
    }
}
