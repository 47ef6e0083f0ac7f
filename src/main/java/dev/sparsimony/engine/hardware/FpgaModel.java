package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource and latency model of a network as hls4ml's Vivado/Vitis backend builds it (formulas and sources in
 * {@code docs/hardware-models.md}). DSP and BRAM follow hls4ml's templates and dsp_aware_pruning objectives; LUT and
 * FF are first-order estimates with the uncertainty {@link FpgaParams#lutFfUncertainty()}.
 */
public final class FpgaModel {
    private FpgaModel() {
    }

    /** Estimates the whole model on a device. Throws {@link ModelException} for a layer the model cannot map. */
    public static FpgaEstimate estimate(Model model, HardwareConfig cfg, Device device) {
        double clock = cfg.clockFor(device);
        FpgaParams p = cfg.params();
        Map<String, int[]> shapes = model.inferShapes(1);
        Map<String, FixedPoint> inputPrecision = inputPrecisions(model, cfg);
        List<LayerEstimate> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int levelsPerCycle = levelsPerCycle(clock, p);
        Map<String, Layout> layoutOf = new HashMap<>();
        for (Node node : model.nodes()) {
            Layout layout = layoutOf(node, layoutOf);
            layoutOf.put(node.name(), layout);
            LayerHwConfig lc = resolveReuse(node, shapes, cfg, notes);
            FixedPoint in = inputPrecision.get(node.name());
            int[] inShape = node.inputs().isEmpty() ? shapes.get(node.name()) : shapes.get(node.inputs().get(0));
            int[] outShape = shapes.get(node.name());
            LayerEstimate e = estimateNode(node, lc, in, inShape, outShape, cfg.io(), device, p, levelsPerCycle);
            if (cfg.io() == IoType.STREAM && outShape.length > 2 && multSize(node.op()) == null) {
                e = perPixel(e, node, lc, in, inShape, outShape, layout, device, p, levelsPerCycle);
            }
            rows.add(e);
        }
        long dsp = 0;
        long bram = 0;
        long lut = 0;
        long ff = 0;
        long latency = 0;
        long interval = 1;
        for (LayerEstimate e : rows) {
            dsp += e.dsp();
            bram += e.bram18();
            lut += e.lut();
            ff += e.ff();
            latency += e.latencyCycles();
            interval = Math.max(interval, e.intervalCycles());
        }
        if (cfg.io() == IoType.STREAM) {
            // dataflow: stages overlap. Each working stage adds its depth for the first item (latency - interval
            // + 1) and one FIFO hand-over cycle; the slowest stage's interval adds the time to stream the rest.
            latency = 0;
            for (LayerEstimate e : rows) {
                if (e.latencyCycles() > 0) {
                    latency += Math.max(1, e.latencyCycles() - e.intervalCycles() + 1) + 1;
                }
            }
            latency += interval - 1;
        }
        notes.add(String.format("LUT and FF are first-order estimates (+/-%.0f%%); DSP and BRAM follow hls4ml's"
                + " templates", p.lutFfUncertainty() * 100));
        return new FpgaEstimate(device, clock, cfg.io(), rows, dsp, bram, lut, ff, latency, interval,
                p.lutFfUncertainty(), notes);
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

    /**
     * io_stream: a weightless layer on a feature map gets one pixel (all channels) per cycle, so its hardware is
     * sized for the channels and its interval is the number of pixels (hls4ml's nnet_*_stream.h).
     */
    private static LayerEstimate perPixel(LayerEstimate whole, Node node, LayerHwConfig lc, FixedPoint in,
                                          int[] inShape, int[] outShape, Layout layout, Device device, FpgaParams p,
                                          int levels) {
        int ca = layout.channelAxis(outShape.length);
        int[] pixelShape = {1, outShape[ca]};
        int[] pixelIn = {1, inShape.length == outShape.length ? inShape[layout.channelAxis(inShape.length)]
                : outShape[ca]};
        if (node.op() instanceof Ops.Pool || node.op() instanceof Ops.GlobalPool || whole.latencyCycles() == 0) {
            // pooling keeps its window logic per channel; wiring-only layers cost nothing either way
            long channels = outShape[ca];
            long outPixels = features(outShape) / Math.max(1, channels);
            long scale = Math.max(1, outPixels);
            return new LayerEstimate(whole.name(), whole.kind(), whole.shape(), whole.reuseFactor(),
                    whole.strategy(), whole.dsp(), whole.bram18(), whole.lut() == 0 ? 0
                    : (whole.lut() - p.controlLut()) / scale + p.controlLut(), whole.ff() == 0 ? 0
                    : (whole.ff() - p.controlFf()) / scale + p.controlFf(), whole.latencyCycles(),
                    whole.intervalCycles(), whole.multipliers(), whole.note());
        }
        LayerEstimate e = estimateNode(node, lc, in, pixelIn, pixelShape, IoType.STREAM, device, p, levels);
        long pixels = features(outShape) / Math.max(1, outShape[ca]);
        return new LayerEstimate(e.name(), e.kind(), whole.shape(), e.reuseFactor(), e.strategy(), e.dsp(),
                e.bram18(), e.lut(), e.ff(), e.latencyCycles() + pixels - 1, Math.max(1, pixels), e.multipliers(),
                e.note() + " (per pixel, " + pixels + " pixels)");
    }

    /** Adder levels that fit in one clock period, leaving 20 % of it for routing and register set-up. */
    static int levelsPerCycle(double clockMhz, FpgaParams p) {
        double periodNs = 1000.0 / clockMhz;
        return Math.max(1, (int) Math.floor(0.8 * periodNs / p.adderDelayNs() + 1e-9));
    }

    private static boolean passesPrecision(Op op) {
        return op instanceof Ops.Flatten || op instanceof Ops.Reshape || op instanceof Ops.Identity
                || op instanceof Ops.Transpose || op instanceof Ops.Concat || op instanceof Ops.QuantizeLinear
                || op instanceof Ops.DequantizeLinear || op instanceof Ops.Pool || op instanceof Ops.GlobalPool;
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
        Map<String, FixedPoint> precisionOf = new HashMap<>();
        model.inputs().forEach(v -> precisionOf.put(v.name(), cfg.input()));
        Map<String, FixedPoint> in = new HashMap<>();
        for (Node node : model.nodes()) {
            LayerHwConfig lc = cfg.layer(node.name());
            FixedPoint p = node.inputs().isEmpty() ? lc.result() : precisionOf.getOrDefault(node.inputs().get(0),
                    cfg.input());
            in.put(node.name(), p);
            precisionOf.put(node.name(), passesPrecision(node.op()) ? p : lc.result());
        }
        return in;
    }

    /** The layer's settings, with an invalid Resource/unrolled reuse factor handled as hls4ml does. */
    static LayerHwConfig resolveReuse(Node node, Map<String, int[]> shapes, HardwareConfig cfg, List<String> notes) {
        LayerHwConfig lc = cfg.layer(node.name());
        int[] mn = multSize(node.op());
        if (mn == null || lc.strategy() == Strategy.LATENCY) {
            // hls4ml validates the reuse factor only for the Resource strategy (vivado_backend.py init_dense/conv)
            return lc;
        }
        int rf = lc.reuseFactor();
        if (ReuseFactors.isValid(mn[0], mn[1], rf)) {
            return lc;
        }
        List<Integer> valid = ReuseFactors.valid(mn[0], mn[1]);
        List<Integer> near = ReuseFactors.neighbours(valid, rf);
        String nearText = near.stream().map(String::valueOf).reduce((a, b) -> a + " or " + b).orElse("none");
        if (cfg.strictReuse()) {
            throw new ModelException("reuse factor " + rf + " is not valid for layer '" + node.name() + "' ("
                    + mn[0] + "x" + mn[1] + "); nearest valid: " + nearText);
        }
        int chosen = ReuseFactors.closest(valid, rf);
        notes.add("layer '" + node.name() + "': reuse factor " + rf + " is not valid for " + mn[0] + "x" + mn[1]
                + " (nearest valid " + nearText + "); using " + chosen + " as hls4ml does");
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

    private static long features(int[] shape) {
        long f = 1;
        for (int i = 1; i < shape.length; i++) {
            f *= shape[i];
        }
        return f;
    }

    static LayerEstimate estimateNode(Node node, LayerHwConfig lc, FixedPoint in, int[] inShape, int[] outShape,
                                      IoType io, Device device, FpgaParams p, int levels) {
        Op op = node.op();
        String shape = Arrays.toString(Arrays.copyOfRange(outShape, 1, outShape.length));
        if (op instanceof Ops.Dense d) {
            long pixels = features(outShape) / d.nOut();
            return kernelLayer(node, d.kernel().data(), d.nIn(), d.nOut(), pixels, pixels, lc, in, shape, io,
                    device, p, levels, 0);
        }
        if (op instanceof Ops.Conv c) {
            long outPixels = features(outShape) / c.outChannels();
            long inPixels = features(inShape) / ((long) c.inChannelsPerGroup() * c.groups());
            long lineBufferLut = 0;
            if (io == IoType.STREAM) {
                // line buffer of (kh-1) rows in shift registers (SRL32: 32 bits of delay per LUT)
                int[] k = c.kernelSize();
                long rowsHeld = k.length == 2 ? k[0] - 1L : 0;
                long width = c.layout().spatialAxis(inShape.length, k.length - 1);
                long rowLen = inShape[(int) width];
                long bits = (rowsHeld * rowLen + k[k.length - 1] - 1) * c.inChannelsPerGroup() * c.groups()
                        * in.width();
                lineBufferLut = KernelModel.ceilDiv(bits, 32);
            }
            long pixelsForInterval = io == IoType.STREAM ? inPixels : outPixels;
            return kernelLayer(node, c.kernel().data(), c.matrixRows(), c.outChannels(), outPixels, pixelsForInterval,
                    lc, in, shape, io, device, p, levels, lineBufferLut);
        }
        int w = lc.result().width();
        long n = features(outShape);
        int control = p.controlLut();
        if (op instanceof Ops.Activation a) {
            return activation(node, a.activation(), a.alpha(), lc, n, shape, device, p, levels);
        }
        if (op instanceof Ops.Softmax) {
            int tw = p.tableWidth();
            long copies = KernelModel.ceilDiv(n, 2) + 1;
            long[] rom = rom(copies, p);
            long mults = n * KernelModel.dspPerMultiplier(tw, tw, device);
            long treeCycles = KernelModel.ceilDiv(ceilLog2(n), levels);
            long lut = rom[1] + (n - 1) * w + (n - 1) * tw + n * w + (mults == 0 ? n * tw * tw / 2 : 0) + control;
            return new LayerEstimate(node.name(), op.kind(), shape, 0, "", mults, rom[0], lut,
                    3 * n * w + p.controlFf(), 2 * treeCycles + 4, 1, n,
                    "stable softmax: exp table x " + (copies - 1) + " + inverse table, " + p.tableSize() + "x" + tw);
        }
        if (op instanceof Ops.BatchNorm bn) {
            long dsp = (long) KernelModel.ceilDiv(n, lc.reuseFactor())
                    * KernelModel.dspPerMultiplier(lc.weight().width(), in.width(), device);
            return new LayerEstimate(node.name(), op.kind(), shape, lc.reuseFactor(), "", dsp, 0, n * w + control,
                    n * w + p.controlFf(), 2 + lc.reuseFactor() - 1, lc.reuseFactor(), n,
                    "scale and shift per element (hls4ml nnet_batchnorm.h)");
        }
        if (op instanceof Ops.Binary b) {
            long dsp = 0;
            long lut = n * w;
            if (b.op() == Ops.BinaryKind.MUL) {
                dsp = n * KernelModel.dspPerMultiplier(w, w, device);
                lut = dsp == 0 ? (long) (n * w * w * p.lutPerFabricMultBit()) : 0;
            } else if (b.op() == Ops.BinaryKind.DIV) {
                throw cannotMap(node, "element-wise division of two tensors has no hls4ml implementation");
            }
            return new LayerEstimate(node.name(), op.kind(), shape, 0, "", dsp, 0, lut + control,
                    n * w + p.controlFf(), 1, 1, 0, "");
        }
        if (op instanceof Ops.Pool pool) {
            long window = 1;
            for (int k : pool.kernel()) {
                window *= k;
            }
            return pooling(node, pool.pool(), window, n, inShape, shape, w, io, levels, p);
        }
        if (op instanceof Ops.GlobalPool gp) {
            long window = features(inShape) / Math.max(1, n);
            return pooling(node, gp.pool(), window, n, inShape, shape, w, io, levels, p);
        }
        if (op instanceof Ops.Flatten || op instanceof Ops.Reshape || op instanceof Ops.Identity
                || op instanceof Ops.Transpose || op instanceof Ops.Concat || op instanceof Ops.Constant
                || op instanceof Ops.QuantizeLinear || op instanceof Ops.DequantizeLinear) {
            return new LayerEstimate(node.name(), op.kind(), shape, 0, "", 0, 0, 0, 0, 0, 1, 0,
                    "wiring only");
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

    /** {BRAM18, LUT} of {@code copies} activation tables. */
    private static long[] rom(long copies, FpgaParams p) {
        long bits = (long) p.tableSize() * p.tableWidth();
        if (bits >= p.romBramMinBits()) {
            // a BRAM18 holds 18 Kb in 1K x 18 (or 2K x 9, 512 x 36) shape
            long perCopy = Math.max(KernelModel.ceilDiv(p.tableSize(), 1024) * KernelModel.ceilDiv(p.tableWidth(), 18),
                    KernelModel.ceilDiv(bits, 18432));
            return new long[] {copies * perCopy, 0};
        }
        // distributed ROM: a LUT6 holds 64 x 1 bits
        return new long[] {0, copies * KernelModel.ceilDiv(p.tableSize(), 64) * p.tableWidth()};
    }

    private static LayerEstimate activation(Node node, ActivationKind kind, float alpha, LayerHwConfig lc, long n,
                                            String shape, Device device, FpgaParams p, int levels) {
        int w = lc.result().width();
        int control = p.controlLut();
        int cf = p.controlFf();
        String k = kind.label();
        return switch (kind) {
            case LINEAR -> new LayerEstimate(node.name(), k, shape, 0, "", 0, 0, 0, 0, 0, 1, 0, "wiring only");
            case RELU -> new LayerEstimate(node.name(), k, shape, 0, "", 0, 0,
                    KernelModel.ceilDiv(n * w, 2) + control, n * w + cf, 1, 1, 0, "comparator and mux per element");
            case CLIP, HARD_SIGMOID, LEAKY_RELU -> new LayerEstimate(node.name(), k, shape, 0, "", 0, 0,
                    2 * n * w + control, n * w + cf, 2, 1, 0, "constant arithmetic and clipping in LUTs");
            case SIGMOID, TANH, ELU, SELU, SOFTPLUS, SOFTSIGN -> {
                // io_parallel reads all n entries at once; a dual-port ROM serves two lookups (nnet_activation.h)
                long copies = KernelModel.ceilDiv(n, 2);
                long[] rom = rom(copies, p);
                yield new LayerEstimate(node.name(), k, shape, 0, "", 0, rom[0], rom[1] + n * w + control,
                        2 * n * w + cf, 2, 1, 0, "lookup table " + p.tableSize() + "x" + p.tableWidth() + " x "
                        + copies + (rom[0] > 0 ? " in BRAM" : " in LUTRAM"));
            }
        };
    }

    private static LayerEstimate pooling(Node node, Ops.PoolKind kind, long window, long n, int[] inShape,
                                         String shape, int w, IoType io, int levels, FpgaParams p) {
        long lut = n * Math.max(0, window - 1) * w + p.controlLut();
        long ff = n * w + p.controlFf();
        long lat = 1 + KernelModel.ceilDiv(ceilLog2(window), levels);
        long interval = io == IoType.STREAM ? Math.max(1, features(inShape) / Math.max(1, inShape[inShape.length - 1]))
                : 1;
        return new LayerEstimate(node.name(), node.op().kind(), shape, 0, "", 0, 0, lut, ff, lat, interval, 0,
                (kind == Ops.PoolKind.MAX ? "comparator" : "adder") + " tree of " + window);
    }

    private static LayerEstimate kernelLayer(Node node, float[] kernel, int nIn, int nOut, long pixels,
                                             long pixelsForInterval, LayerHwConfig lc, FixedPoint in, String shape,
                                             IoType io, Device device, FpgaParams p, int levels, long extraLut) {
        KernelModel km = new KernelModel(kernel, nIn, nOut, lc, in.width(), device, p);
        int wW = km.weightWidth;
        int dW = km.dataWidth;
        int acc = km.accWidth;
        int rf = km.rf;
        long mults = km.multiplierInstances();
        long dsp = mults * km.dspPerMult;
        long bram = km.bram18();
        int[] m = km.productsPerOutput();
        int maxM = 1;
        long sumM = 0;
        for (int x : m) {
            maxM = Math.max(maxM, x);
            sumM += x;
        }
        long lut;
        long ff;
        long latency;
        String note;
        if (lc.strategy() == Strategy.LATENCY) {
            long multLut = 0;
            long multFf = 0;
            if (km.constantsVisible()) {
                for (int k = 0; k < km.n; k++) {
                    int digits = km.csd[k];
                    if (digits == 0 || km.dspPerMult > 0 && km.needsMultiplier(k)) {
                        continue; // zero weight, or a DSP with its internal product register
                    }
                    multLut += (long) Math.max(0, digits - 1) * (wW + dW);
                    multFf += digits > 1 ? wW + dW : 0;
                }
            } else if (km.dspPerMult == 0) {
                multLut = (long) (mults * wW * dW * p.lutPerFabricMultBit());
                multFf = mults * (wW + dW);
            }
            int treeLevels = ceilLog2(maxM + 1L);
            int treeCycles = KernelModel.ceilDiv(treeLevels, levels);
            long adders = KernelModel.ceilDiv(sumM + nOut, rf);
            long treeFf = 0;
            for (int x : m) {
                for (int s = 1; s < treeCycles; s++) {
                    treeFf += (long) KernelModel.ceilDiv(x + 1L, 1L << Math.min(62, (long) s * levels)) * acc;
                }
            }
            long muxLut = rf > 1 ? mults * (wW + dW) * (long) KernelModel.ceilDiv(rf, 4) : 0;
            lut = multLut + adders * acc + muxLut + p.controlLut() + extraLut;
            ff = multFf + KernelModel.ceilDiv(treeFf, rf) + (long) nOut * lc.result().width()
                    + (rf > 1 ? (long) nOut * acc : 0) + p.controlFf();
            // RF-1 extra issue cycles, one multiplier stage, the adder tree (result cast is combinational)
            latency = (rf - 1) + 1 + treeCycles;
            note = km.constantsVisible() ? "constant weights: " + mults + " real multipliers of " + km.nonZero()
                    + " non-zero" : "multiplier_limit = ceil(n/RF) - zeros/RF";
        } else {
            int bf = km.blockFactor();
            long multScale = Math.max(1, bf / nOut);
            long multLut = km.dspPerMult == 0 ? (long) (mults * wW * dW * p.lutPerFabricMultBit()) : 0;
            long muxLut = rf > 1 ? mults * dW * (long) KernelModel.ceilDiv(Math.min(rf, nIn), 4) : 0;
            lut = multLut + mults * acc + (long) nOut * acc * (multScale > 1 ? 1 : 0) + muxLut + p.controlLut()
                    + extraLut;
            ff = mults * (dW + acc) + (long) nOut * lc.result().width() + p.controlFf();
            // RF accumulation cycles, BRAM read, multiplier stage, final sum of the mult_scale partial sums
            latency = rf + (rf > 1 ? 1 : 0) + 1 + KernelModel.ceilDiv(ceilLog2(multScale + 1), levels);
            note = "block_factor " + bf + ", " + km.zeroPatterns() + " all-zero patterns"
                    + (km.usesBram() ? ", ROM " + km.bramColumns() + " x 36-bit columns, depth " + rf : "");
        }
        long interval = rf * Math.max(1, pixelsForInterval);
        if (pixels > 1) {
            latency += (pixelsForInterval - 1) * rf;
        }
        return new LayerEstimate(node.name(), node.op().kind(), shape, rf, lc.strategy().label(), dsp, bram, lut, ff,
                latency, interval, km.nonZero() * pixels, note);
    }
}
