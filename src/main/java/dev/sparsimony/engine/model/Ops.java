package dev.sparsimony.engine.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operations of the IR, one record each. Shapes include the batch axis (axis 0). */
public final class Ops {
    private Ops() {
    }

    // ------------------------------------------------------------------ weighted layers

    /**
     * Fully connected layer on the last axis: y = x · kernel + bias.
     *
     * @param kernel [nIn, nOut], row-major (Keras layout; ONNX Gemm/MatMul weights are converted to it)
     * @param bias   [nOut] or null
     */
    public record Dense(Tensor kernel, Tensor bias) implements Op {
        public Dense {
            if (kernel.rank() != 2) {
                throw new ModelException("Dense kernel must be 2-D [in, out], got " + kernel.shapeString());
            }
            if (bias != null && (bias.rank() != 1 || bias.dim(0) != kernel.dim(1))) {
                throw new ModelException("Dense bias must be [" + kernel.dim(1) + "], got " + bias.shapeString());
            }
        }

        public int nIn() {
            return kernel.dim(0);
        }

        public int nOut() {
            return kernel.dim(1);
        }

        @Override
        public String kind() {
            return "Dense";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && in.get(0).length >= 2;
        }

        @Override
        public Map<String, Tensor> weights() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("kernel", kernel);
            if (bias != null) {
                m.put("bias", bias);
            }
            return m;
        }

        @Override
        public Op withWeight(String name, Tensor value) {
            return switch (name) {
                case "kernel" -> new Dense(Shapes.sameShape(kernel, value, name), bias);
                case "bias" -> new Dense(kernel, Shapes.sameShape(bias, value, name));
                default -> Op.super.withWeight(name, value);
            };
        }

        @Override
        public boolean isPrunable() {
            return true;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (s.length < 2 || s[s.length - 1] != nIn()) {
                throw new ModelException("Dense expects last input dimension " + nIn() + ", got shape "
                        + Arrays.toString(s));
            }
            int[] o = s.clone();
            o[o.length - 1] = nOut();
            return o;
        }
    }

    /**
     * 1-D or 2-D convolution.
     *
     * @param kernel [k1, (k2,) cIn / groups, cOut] (Keras/hls4ml "HWIO" layout; ONNX OIHW is converted),
     *               so that the kernel viewed as a matrix is [k1*k2*cIn/groups, cOut] like a Dense kernel
     * @param bias   [cOut] or null
     */
    public record Conv(Tensor kernel, Tensor bias, int[] strides, int[] dilations, int[] padsBegin,
                       int[] padsEnd, int groups, Layout layout) implements Op {
        public Conv {
            int r = kernel.rank() - 2;
            if (r != 1 && r != 2) {
                throw new ModelException("Conv supports 1-D and 2-D kernels, got kernel " + kernel.shapeString());
            }
            for (int[] a : new int[][] {strides, dilations, padsBegin, padsEnd}) {
                if (a.length != r) {
                    throw new ModelException("Conv attributes must have " + r + " entries (one per spatial axis)");
                }
            }
            Shapes.checkWindow("Conv", kernel.shape(), strides, dilations, padsBegin, padsEnd);
            if (groups < 1 || kernel.dim(-1) % groups != 0) {
                throw new ModelException("Conv groups must divide the output channels: groups " + groups
                        + ", channels " + kernel.dim(-1));
            }
            if (bias != null && (bias.rank() != 1 || bias.dim(0) != kernel.dim(-1))) {
                throw new ModelException("Conv bias must be [" + kernel.dim(-1) + "], got " + bias.shapeString());
            }
            strides = strides.clone();
            dilations = dilations.clone();
            padsBegin = padsBegin.clone();
            padsEnd = padsEnd.clone();
        }

        public int spatialRank() {
            return kernel.rank() - 2;
        }

        public int[] kernelSize() {
            return Arrays.copyOf(kernel.shape(), spatialRank());
        }

        public int inChannelsPerGroup() {
            return kernel.dim(-2);
        }

        public int outChannels() {
            return kernel.dim(-1);
        }

        /** Rows of the kernel seen as a Dense-like matrix: k1*k2*cIn/groups. */
        public int matrixRows() {
            return kernel.size() / outChannels();
        }

        @Override
        public String kind() {
            return "Conv" + spatialRank() + "D";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public Map<String, Tensor> weights() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("kernel", kernel);
            if (bias != null) {
                m.put("bias", bias);
            }
            return m;
        }

        @Override
        public Op withWeight(String name, Tensor value) {
            return switch (name) {
                case "kernel" -> new Conv(Shapes.sameShape(kernel, value, name), bias, strides, dilations,
                        padsBegin, padsEnd, groups, layout);
                case "bias" -> new Conv(kernel, Shapes.sameShape(bias, value, name), strides, dilations,
                        padsBegin, padsEnd, groups, layout);
                default -> Op.super.withWeight(name, value);
            };
        }

        @Override
        public boolean isPrunable() {
            return true;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            int r = spatialRank();
            if (s.length != r + 2) {
                throw new ModelException(kind() + " expects a rank-" + (r + 2) + " input, got shape "
                        + Arrays.toString(s));
            }
            int ca = layout.channelAxis(s.length);
            if (s[ca] != inChannelsPerGroup() * groups) {
                throw new ModelException(kind() + " expects " + inChannelsPerGroup() * groups
                        + " input channels, got shape " + Arrays.toString(s));
            }
            int[] o = s.clone();
            int[] k = kernelSize();
            for (int i = 0; i < r; i++) {
                int ax = layout.spatialAxis(s.length, i);
                o[ax] = Shapes.windowOutput(s[ax], k[i], strides[i], dilations[i], padsBegin[i], padsEnd[i],
                        false, kind());
            }
            o[ca] = outChannels();
            return o;
        }
    }

    /** Inference-mode batch normalisation over the channel axis: gamma * (x - mean) / sqrt(var + eps) + beta. */
    public record BatchNorm(Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float epsilon, Layout layout)
            implements Op {
        public BatchNorm {
            int c = gamma.size();
            for (Tensor t : new Tensor[] {beta, mean, variance}) {
                if (t.size() != c) {
                    throw new ModelException("BatchNorm parameters must all have " + c + " values");
                }
            }
        }

        public int channels() {
            return gamma.size();
        }

        /**
         * The per-channel affine map it computes, y = scale·x + shift, in double: {@code {scale, shift}} with
         * scale = gamma / sqrt(variance + epsilon) and shift = beta - mean·scale.
         */
        public double[][] affine() {
            int n = channels();
            double[] scale = new double[n];
            double[] shift = new double[n];
            for (int c = 0; c < n; c++) {
                scale[c] = gamma.data()[c] / Math.sqrt((double) variance.data()[c] + epsilon);
                shift[c] = beta.data()[c] - mean.data()[c] * scale[c];
            }
            return new double[][] {scale, shift};
        }

        /** Channel axis for an input of this rank: axis 1 for rank 2, else by layout. */
        public int channelAxis(int rank) {
            return rank == 2 ? 1 : layout.channelAxis(rank);
        }

        @Override
        public String kind() {
            return "BatchNorm";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public Map<String, Tensor> weights() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("gamma", gamma);
            m.put("beta", beta);
            m.put("mean", mean);
            m.put("variance", variance);
            return m;
        }

        @Override
        public Op withWeight(String name, Tensor v) {
            return switch (name) {
                case "gamma" -> new BatchNorm(Shapes.sameShape(gamma, v, name), beta, mean, variance, epsilon, layout);
                case "beta" -> new BatchNorm(gamma, Shapes.sameShape(beta, v, name), mean, variance, epsilon, layout);
                case "mean" -> new BatchNorm(gamma, beta, Shapes.sameShape(mean, v, name), variance, epsilon, layout);
                case "variance" -> new BatchNorm(gamma, beta, mean, Shapes.sameShape(variance, v, name), epsilon, layout);
                default -> Op.super.withWeight(name, v);
            };
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (s.length < 2 || s[channelAxis(s.length)] != channels()) {
                throw new ModelException("BatchNorm expects " + channels() + " channels, got shape "
                        + Arrays.toString(s));
            }
            return s.clone();
        }
    }

    // ------------------------------------------------------------------ element-wise

    /** Element-wise activation; alpha/beta as documented on {@link ActivationKind}. */
    public record Activation(ActivationKind activation, float alpha, float beta) implements Op {
        public static Activation of(ActivationKind k) {
            return switch (k) {
                case LEAKY_RELU -> new Activation(k, 0.3f, 0f);
                case ELU -> new Activation(k, 1f, 0f);
                case HARD_SIGMOID -> new Activation(k, 0.2f, 0.5f);
                case CLIP -> new Activation(k, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
                default -> new Activation(k, 0f, 0f);
            };
        }

        @Override
        public String kind() {
            return activation.label();
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return in.get(0).clone();
        }
    }

    /**
     * Softmax along {@code axis}. With {@code coerce2d} (ONNX before opset 13) the input is viewed as
     * [prod(dims before axis), prod(dims from axis)] and normalised over the second dimension.
     */
    public record Softmax(int axis, boolean coerce2d) implements Op {
        @Override
        public String kind() {
            return "Softmax";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && Shapes.axis(axis, in.get(0).length, "Softmax") != 0;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            Shapes.axis(axis, s.length, "Softmax");
            return s.clone();
        }
    }

    public enum BinaryKind { ADD, SUB, MUL, DIV }

    /** Element-wise binary op with NumPy broadcasting. */
    public record Binary(BinaryKind op) implements Op {
        @Override
        public String kind() {
            return switch (op) {
                case ADD -> "Add";
                case SUB -> "Sub";
                case MUL -> "Mul";
                case DIV -> "Div";
            };
        }

        @Override
        public Arity arity() {
            return Arity.TWO;
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.elementwise(in, batched, Math.max(in.get(0).length, in.get(1).length));
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return Shapes.broadcast(in.get(0), in.get(1), kind());
        }
    }

    // ------------------------------------------------------------------ pooling

    public enum PoolKind { MAX, AVG }

    /** Windowed max/average pooling over the spatial axes. */
    public record Pool(PoolKind pool, int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd,
                       boolean countIncludePad, boolean ceilMode, Layout layout) implements Op {
        public Pool {
            int r = kernel.length;
            if (r != 1 && r != 2) {
                throw new ModelException("Pooling supports 1-D and 2-D windows, got " + r + "-D");
            }
            if (strides.length != r || padsBegin.length != r || padsEnd.length != r) {
                throw new ModelException("Pooling attributes must have " + r + " entries");
            }
            int[] ones = new int[r];
            Arrays.fill(ones, 1);
            Shapes.checkWindow("Pooling", kernel, strides, ones, padsBegin, padsEnd);
            kernel = kernel.clone();
            strides = strides.clone();
            padsBegin = padsBegin.clone();
            padsEnd = padsEnd.clone();
        }

        @Override
        public String kind() {
            return (pool == PoolKind.MAX ? "MaxPool" : "AvgPool") + kernel.length + "D";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            int r = kernel.length;
            if (s.length != r + 2) {
                throw new ModelException(kind() + " expects a rank-" + (r + 2) + " input, got shape "
                        + Arrays.toString(s));
            }
            int[] o = s.clone();
            for (int i = 0; i < r; i++) {
                int ax = layout.spatialAxis(s.length, i);
                o[ax] = Shapes.windowOutput(s[ax], kernel[i], strides[i], 1, padsBegin[i], padsEnd[i], ceilMode,
                        kind());
            }
            return o;
        }
    }

    /** Pooling over all spatial axes; {@code keepDims} keeps them as size 1 (ONNX) or drops them (Keras). */
    public record GlobalPool(PoolKind pool, Layout layout, boolean keepDims) implements Op {
        @Override
        public String kind() {
            return pool == PoolKind.MAX ? "GlobalMaxPool" : "GlobalAvgPool";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (s.length < 3) {
                throw new ModelException(kind() + " expects a feature map with spatial axes, got shape "
                        + Arrays.toString(s));
            }
            int c = s[layout.channelAxis(s.length)];
            if (!keepDims) {
                return new int[] {s[0], c};
            }
            int[] o = s.clone();
            for (int i = 0; i < s.length - 2; i++) {
                o[layout.spatialAxis(s.length, i)] = 1;
            }
            return o;
        }
    }

    // ------------------------------------------------------------------ shape ops

    /** ONNX Flatten: output [prod(dims before axis), prod(dims from axis)]. Keras Flatten is axis 1. */
    public record Flatten(int axis) implements Op {
        @Override
        public String kind() {
            return "Flatten";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && (axis < 0 ? axis + in.get(0).length : axis) >= 1;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            int a = axis < 0 ? axis + s.length : axis;
            if (a < 0 || a > s.length) {
                throw new ModelException("Flatten axis " + axis + " out of range for shape " + Arrays.toString(s));
            }
            long p = 1;
            long q = 1;
            for (int i = 0; i < s.length; i++) {
                if (i < a) {
                    p *= s[i];
                } else {
                    q *= s[i];
                }
            }
            return new int[] {Math.toIntExact(p), Math.toIntExact(q)};
        }
    }

    /**
     * ONNX Reshape with a static target shape (batch included): 0 copies the input dimension (unless
     * {@code allowZero}), -1 is inferred.
     */
    public record Reshape(int[] shape, boolean allowZero) implements Op {
        public Reshape {
            shape = shape.clone();
        }

        @Override
        public String kind() {
            return "Reshape";
        }

        /** Keeps the batch when the target copies it (0) or infers it (-1) from a fixed per-sample rest. */
        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            if (!BatchAxis.perSample(in, batched) || shape.length == 0) {
                return false;
            }
            if (shape[0] == 0 && !allowZero) {
                return true;
            }
            if (shape[0] != -1) {
                return false;
            }
            long rest = 1;
            for (int i = 1; i < shape.length; i++) {
                if (shape[i] < 0 || (shape[i] == 0 && allowZero)) {
                    return false;
                }
                rest *= shape[i] == 0 ? (i < in.get(0).length ? in.get(0)[i] : 0) : shape[i];
            }
            return rest > 0 && Tensor.numel(in.get(0)) % rest == 0;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return Shapes.reshape(in.get(0), shape, allowZero);
        }
    }

    /** Permutes axes (batch included). */
    public record Transpose(int[] perm) implements Op {
        public Transpose {
            perm = perm.clone();
        }

        @Override
        public String kind() {
            return "Transpose";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && perm.length > 0 && perm[0] == 0;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (perm.length != s.length) {
                throw new ModelException("Transpose permutation " + Arrays.toString(perm) + " does not match rank "
                        + s.length);
            }
            int[] o = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                o[i] = s[perm[i]];
            }
            return o;
        }
    }

    /** Concatenation of all inputs along an axis. */
    public record Concat(int axis) implements Op {
        @Override
        public String kind() {
            return "Concat";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            for (boolean b : batched) {
                if (!b) {
                    return false;
                }
            }
            return Shapes.axis(axis, in.get(0).length, "Concat") != 0;
        }

        @Override
        public Arity arity() {
            return Arity.ONE_OR_MORE;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] o = in.get(0).clone();
            int a = Shapes.axis(axis, o.length, "Concat");
            for (int k = 1; k < in.size(); k++) {
                int[] s = in.get(k);
                if (s.length != o.length) {
                    throw new ModelException("Concat inputs must have the same rank");
                }
                for (int i = 0; i < s.length; i++) {
                    if (i != a && s[i] != o[i]) {
                        throw new ModelException("Concat inputs differ outside axis " + axis + ": "
                                + Arrays.toString(o) + " vs " + Arrays.toString(s));
                    }
                }
                o[a] += s[a];
            }
            return o;
        }
    }

    /** Passes its input through (ONNX Identity, Dropout at inference, Keras Dropout/InputLayer). */
    public record Identity() implements Op {
        @Override
        public String kind() {
            return "Identity";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return in.get(0).clone();
        }
    }

    /** A constant tensor (no inputs); its shape is the full runtime shape, batch not implied. */
    public record Constant(Tensor value) implements Op {
        @Override
        public String kind() {
            return "Constant";
        }

        @Override
        public Arity arity() {
            return Arity.NONE;
        }

        @Override
        public Map<String, Tensor> weights() {
            return Map.of("value", value);
        }

        @Override
        public Op withWeight(String name, Tensor v) {
            if (!name.equals("value")) {
                return Op.super.withWeight(name, v);
            }
            return new Constant(Shapes.sameShape(value, v, name));
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return value.shape();
        }
    }

    // ------------------------------------------------------------------ general linear algebra

    /** NumPy matmul of two runtime tensors (used when neither side is a constant weight). */
    public record MatMul() implements Op {
        @Override
        public String kind() {
            return "MatMul";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            int ra = in.get(0).length;
            int rb = in.get(1).length;
            if (batched[0] && batched[1]) {
                return ra == rb && ra >= 3;
            }
            return batched[0] ? ra >= 2 && rb <= 2 : rb >= 3 && ra <= 2;
        }

        @Override
        public Arity arity() {
            return Arity.TWO;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return Shapes.matmul(in.get(0), in.get(1));
        }
    }

    /** ONNX Gemm on runtime tensors: alpha * op(A) · op(B) + beta * C, with C broadcast; C optional. */
    public record Gemm(float alpha, float beta, boolean transA, boolean transB) implements Op {
        @Override
        public String kind() {
            return "Gemm";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return batched[0] && !transA && !batched[1]
                    && (in.size() < 3 || (!batched[2] && BatchAxis.constantBesideBatch(in.get(2), 2)));
        }

        @Override
        public Arity arity() {
            return Arity.TWO_OR_THREE;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] a = in.get(0);
            int[] b = in.get(1);
            if (a.length != 2 || b.length != 2) {
                throw new ModelException("Gemm needs 2-D inputs, got " + Arrays.toString(a) + " and "
                        + Arrays.toString(b));
            }
            int m = transA ? a[1] : a[0];
            int ka = transA ? a[0] : a[1];
            int kb = transB ? b[1] : b[0];
            int n = transB ? b[0] : b[1];
            if (ka != kb) {
                throw new ModelException("Gemm inner dimensions differ: " + ka + " vs " + kb);
            }
            int[] o = {m, n};
            if (in.size() > 2) {
                int[] c = Shapes.broadcast(o, in.get(2), "Gemm bias");
                if (!Arrays.equals(c, o)) {
                    throw new ModelException("Gemm bias " + Arrays.toString(in.get(2)) + " does not broadcast to "
                            + Arrays.toString(o));
                }
            }
            return o;
        }
    }

    // ------------------------------------------------------------------ ONNX quantization

    public enum QuantType {
        UINT8(0, 255), INT8(-128, 127);

        public final int min;
        public final int max;

        QuantType(int min, int max) {
            this.min = min;
            this.max = max;
        }
    }

    /**
     * ONNX QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point). Inputs: x, scale, [zero_point].
     * {@code axis} selects the per-axis scale when scale is 1-D. Output values are integers held as floats.
     */
    public record QuantizeLinear(int axis, QuantType type) implements Op {
        @Override
        public String kind() {
            return "QuantizeLinear";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && (Tensor.numel(in.get(1)) == 1 || Shapes.axis(axis, in.get(0).length, "QuantizeLinear") != 0);
        }

        @Override
        public Arity arity() {
            return Arity.TWO_OR_THREE;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return in.get(0).clone();
        }
    }

    /** ONNX DequantizeLinear: y = (x - zero_point) * scale. Inputs: x, scale, [zero_point]. */
    public record DequantizeLinear(int axis) implements Op {
        @Override
        public String kind() {
            return "DequantizeLinear";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && (Tensor.numel(in.get(1)) == 1 || Shapes.axis(axis, in.get(0).length, "DequantizeLinear") != 0);
        }

        @Override
        public Arity arity() {
            return Arity.TWO_OR_THREE;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return in.get(0).clone();
        }
    }

    // ------------------------------------------------------------------ normalisation across channels

    /**
     * Local response normalisation across channels (ONNX LRN; AlexNet, GoogLeNet):
     * y = x / (bias + alpha / size * sum of x^2 over the channels c - floor((size-1)/2) .. c + ceil((size-1)/2))^beta.
     */
    public record Lrn(int size, float alpha, float beta, float bias, Layout layout) implements Op {
        public Lrn {
            if (size < 1) {
                throw new ModelException("LRN size must be at least 1, got " + size);
            }
        }

        @Override
        public String kind() {
            return "LRN";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (s.length < 2) {
                throw new ModelException("LRN expects a feature map with a channel axis, got shape " + Arrays.toString(s));
            }
            return s.clone();
        }
    }

    // ------------------------------------------------------------------ added for issue 13 (importer coverage)

    /**
     * Parametric ReLU: y = x for x &gt;= 0, slope * x otherwise; the slope broadcasts against x right-aligned (ONNX
     * PRelu, unidirectional broadcasting; Keras PReLU's alpha [dims without batch] with shared axes as 1).
     */
    public record PRelu(Tensor slope) implements Op {
        @Override
        public String kind() {
            return "PReLU";
        }

        @Override
        public Map<String, Tensor> weights() {
            return Map.of("slope", slope);
        }

        @Override
        public Op withWeight(String name, Tensor v) {
            return name.equals("slope") ? new PRelu(Shapes.sameShape(slope, v, name)) : Op.super.withWeight(name, v);
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && BatchAxis.constantBesideBatch(slope.shape(), in.get(0).length);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (!Arrays.equals(Shapes.broadcast(s, slope.shape(), "PRelu slope"), s)) {
                throw new ModelException("PRelu slope " + slope.shapeString() + " does not broadcast to the input "
                        + Arrays.toString(s));
            }
            return s.clone();
        }
    }

    /** y = x if x &gt; theta, else 0 (Keras ThresholdedReLU; ONNX ThresholdedRelu). */
    public record ThresholdedRelu(float theta) implements Op {
        @Override
        public String kind() {
            return "ThresholdedReLU";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return in.get(0).clone();
        }
    }

    /**
     * log(softmax(x)) along {@code axis}, computed as x - max - log(sum(exp(x - max))) (ONNX LogSoftmax; with
     * {@code coerce2d}, opset &lt; 13, the input is viewed as 2-D at {@code axis} as for {@link Softmax}).
     */
    public record LogSoftmax(int axis, boolean coerce2d) implements Op {
        @Override
        public String kind() {
            return "LogSoftmax";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && Shapes.axis(axis, in.get(0).length, "LogSoftmax") != 0;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            Shapes.axis(axis, s.length, "LogSoftmax");
            return s.clone();
        }
    }

    public enum PadMode { CONSTANT, REFLECT, EDGE, WRAP }

    /**
     * Pads (negative: crops) every axis, batch included: ONNX Pad (modes constant, reflect, edge, wrap), Keras
     * ZeroPadding1D/2D. {@code value} fills in constant mode.
     */
    public record Pad(int[] padsBegin, int[] padsEnd, PadMode mode, float value) implements Op {
        public Pad {
            if (padsBegin.length != padsEnd.length) {
                throw new ModelException("Pad needs as many begin as end pads");
            }
            padsBegin = padsBegin.clone();
            padsEnd = padsEnd.clone();
        }

        @Override
        public String kind() {
            return "Pad";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched) && padsBegin.length > 0 && padsBegin[0] == 0 && padsEnd[0] == 0;
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (padsBegin.length != s.length) {
                throw new ModelException("Pad has pads for " + padsBegin.length + " axes, the input has rank "
                        + s.length);
            }
            int[] o = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                long d = (long) s[i] + padsBegin[i] + padsEnd[i];
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new ModelException("Pad of axis " + i + " by " + padsBegin[i] + "/" + padsEnd[i]
                            + " does not fit its size " + s[i]);
                }
                if ((mode == PadMode.EDGE || mode == PadMode.REFLECT || mode == PadMode.WRAP) && s[i] == 0 && d > 0) {
                    throw new ModelException(mode.name().toLowerCase(java.util.Locale.ROOT)
                            + " padding of an empty axis");
                }
                o[i] = (int) d;
            }
            return o;
        }
    }

    /** Element types a runtime tensor can be cast to (values stay floats holding the cast's result). */
    public enum CastType {
        FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL
    }

    /**
     * ONNX Cast / CastLike of a runtime tensor: to a float type, the value rounded to that type's precision
     * (half, bfloat16; FLOAT and DOUBLE keep the float32 value); to an integer type, truncated toward zero and
     * saturated to the type's range (NaN gives 0); to BOOL, 1 for any non-zero value.
     */
    public record Cast(CastType to) implements Op {
        @Override
        public String kind() {
            return "Cast";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return in.get(0).clone();
        }
    }

    /**
     * The Indices output of ONNX MaxPool (channels-first, 1-D/2-D): for each window the position of its first
     * maximum in the flattened input, batch and channel offsets included; with {@code columnMajor}
     * (storage_order 1) the spatial position counts down the columns (h + w * H).
     */
    public record MaxPoolIndices(int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd, boolean ceilMode,
                                 boolean columnMajor) implements Op {
        public MaxPoolIndices {
            new Pool(PoolKind.MAX, kernel, strides, padsBegin, padsEnd, false, ceilMode, Layout.CHANNELS_FIRST);
            kernel = kernel.clone();
            strides = strides.clone();
            padsBegin = padsBegin.clone();
            padsEnd = padsEnd.clone();
        }

        /** The pooling whose indices these are. */
        public Pool pool() {
            return new Pool(PoolKind.MAX, kernel, strides, padsBegin, padsEnd, false, ceilMode, Layout.CHANNELS_FIRST);
        }

        @Override
        public String kind() {
            return "MaxPoolIndices";
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return pool().outputShape(in);
        }
    }

    /**
     * Nearest or bilinear upsampling of the spatial axes by integer factors (Keras UpSampling1D/2D). Bilinear follows
     * tf.image.resize (half-pixel centres: source = (o + 0.5) / scale - 0.5, clamped to the input).
     */
    public record Upsample(int[] scales, boolean bilinear, Layout layout) implements Op {
        public Upsample {
            if (scales.length < 1 || scales.length > 2) {
                throw new ModelException("Upsampling supports 1-D and 2-D maps, got " + scales.length + " factors");
            }
            for (int f : scales) {
                if (f < 1 || f > 4096) {
                    throw new ModelException("upsampling factors must be 1 to 4096, got " + Arrays.toString(scales));
                }
            }
            scales = scales.clone();
        }

        @Override
        public String kind() {
            return "UpSampling" + scales.length + "D";
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (s.length != scales.length + 2) {
                throw new ModelException(kind() + " expects a rank-" + (scales.length + 2) + " input, got shape "
                        + Arrays.toString(s));
            }
            int[] o = s.clone();
            for (int i = 0; i < scales.length; i++) {
                int ax = layout.spatialAxis(s.length, i);
                o[ax] = Math.toIntExact((long) s[ax] * scales[i]);
            }
            return o;
        }
    }
}
