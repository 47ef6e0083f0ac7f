package dev.sparsimony.engine.io.onnx;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Shapes;
import dev.sparsimony.engine.model.Tensor;
import java.util.Arrays;
import java.util.List;

/** Import-time evaluation of ONNX operators on constants (shape sub-graphs, weight generators, weight layout). */
final class ConstFold {
    private ConstFold() {
    }

    /** Row-major strides of a shape. */
    static long[] strides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** out[i0..] = in[perm-mapped index]: ONNX Transpose semantics (output axis i is input axis perm[i]). */
    static Const transpose(Const c, int[] perm) {
        int r = c.rank();
        if (perm.length != r) {
            throw new ModelException("Transpose permutation " + Arrays.toString(perm) + " does not match rank " + r);
        }
        int[] outShape = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int p = perm[i];
            if (p < 0 || p >= r || seen[p]) {
                throw new ModelException("invalid Transpose permutation " + Arrays.toString(perm));
            }
            seen[p] = true;
            outShape[i] = c.shape[p];
        }
        if (c.isFill()) {
            return Const.filled(outShape, c.dtype, c.fillValue());
        }
        int n = c.size();
        long[] inStrides = strides(c.shape);
        long[] permStrides = new long[r];
        for (int i = 0; i < r; i++) {
            permStrides[i] = inStrides[perm[i]];
        }
        int[] src = sourceOffsets(outShape, permStrides, n);
        if (c.isInteger()) {
            long[] in = c.longs();
            long[] out = new long[n];
            for (int k = 0; k < n; k++) {
                out[k] = in[src[k]];
            }
            return Const.ofLongs(outShape, c.dtype, out);
        }
        float[] in = c.floats();
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            out[k] = in[src[k]];
        }
        return Const.ofFloats(outShape, c.dtype, out);
    }

    /**
     * Source offset of each of the {@code n} elements of {@code shape} (row-major order) read through
     * {@code srcStrides}: an odometer over {@code shape} keeping src = sum idx[i] * srcStrides[i].
     */
    private static int[] sourceOffsets(int[] shape, long[] srcStrides, int n) {
        int[] offsets = new int[n];
        int[] idx = new int[shape.length];
        long src = 0;
        for (int k = 0; k < n; k++) {
            offsets[k] = (int) src;
            for (int i = shape.length - 1; i >= 0; i--) {
                idx[i]++;
                src += srcStrides[i];
                if (idx[i] < shape[i]) {
                    break;
                }
                src -= srcStrides[i] * idx[i];
                idx[i] = 0;
            }
        }
        return offsets;
    }

    /** Source strides for reading a tensor of {@code shape} broadcast to {@code out} (0 on broadcast axes). */
    private static long[] broadcastStrides(int[] shape, int[] out) {
        long[] s = strides(shape);
        long[] o = new long[out.length];
        int off = out.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            o[off + i] = shape[i] == 1 && out[off + i] != 1 ? 0 : s[i];
        }
        return o;
    }

    enum Arith { ADD, SUB, MUL, DIV }

    /** Element-wise arithmetic with NumPy broadcasting; integer types use integer arithmetic (C-style division). */
    static Const binary(Arith op, Const a, Const b) {
        int[] out = Shapes.broadcast(a.shape, b.shape, op.name());
        boolean integer = a.isInteger() && b.isInteger();
        int dtype = integer ? a.dtype : (a.isInteger() ? b.dtype : a.dtype);
        if (a.isFill() && b.isFill()) {
            double v = apply(op, a.fillValue(), b.fillValue(), integer);
            return Const.filled(out, dtype, v);
        }
        int n = Math.toIntExact(Tensor.numel(out));
        int[] ia = sourceOffsets(out, broadcastStrides(a.shape, out), n);
        int[] ib = sourceOffsets(out, broadcastStrides(b.shape, out), n);
        if (integer) {
            long[] va = a.longs();
            long[] vb = b.longs();
            long[] o = new long[n];
            for (int k = 0; k < n; k++) {
                o[k] = (long) apply(op, va[ia[k]], vb[ib[k]], true);
            }
            return Const.ofLongs(out, dtype, o);
        }
        float[] va = a.floats();
        float[] vb = b.floats();
        float[] o = new float[n];
        for (int k = 0; k < n; k++) {
            o[k] = (float) apply(op, va[ia[k]], vb[ib[k]], false);
        }
        return Const.ofFloats(out, dtype, o);
    }

    private static double apply(Arith op, double x, double y, boolean integer) {
        if (integer) {
            long a = (long) x;
            long b = (long) y;
            return switch (op) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> {
                    if (b == 0) {
                        throw new ModelException("integer division by zero in a constant expression");
                    }
                    yield a / b;
                }
            };
        }
        float a = (float) x;
        float b = (float) y;
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    /** ONNX Gather along {@code axis} (negative indices count from the end). */
    static Const gather(Const data, Const indices, int axis) {
        int r = data.rank();
        int a = Shapes.axis(axis, r, "Gather");
        long[] ind = indices.longs();
        int dimA = data.shape[a];
        int[] out = new int[r - 1 + indices.rank()];
        System.arraycopy(data.shape, 0, out, 0, a);
        System.arraycopy(indices.shape, 0, out, a, indices.rank());
        System.arraycopy(data.shape, a + 1, out, a + indices.rank(), r - a - 1);
        long outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= data.shape[i];
        }
        long inner = 1;
        for (int i = a + 1; i < r; i++) {
            inner *= data.shape[i];
        }
        int n = Math.toIntExact(Tensor.numel(out));
        long[] lo = data.isInteger() ? new long[n] : null;
        float[] fo = data.isInteger() ? null : new float[n];
        long[] li = data.isInteger() ? data.longs() : null;
        float[] fi = data.isInteger() ? null : data.floats();
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long j : ind) {
                long jj = j < 0 ? j + dimA : j;
                if (jj < 0 || jj >= dimA) {
                    throw new ModelException("Gather index " + j + " out of range for axis size " + dimA);
                }
                long base = (o * dimA + jj) * inner;
                for (long q = 0; q < inner; q++) {
                    if (lo != null) {
                        lo[k++] = li[(int) (base + q)];
                    } else {
                        fo[k++] = fi[(int) (base + q)];
                    }
                }
            }
        }
        return lo != null ? Const.ofLongs(out, data.dtype, lo) : Const.ofFloats(out, data.dtype, fo);
    }

    /** ONNX Concat of constants. */
    static Const concat(List<Const> parts, int axis) {
        Const first = parts.get(0);
        int r = first.rank();
        int a = Shapes.axis(axis, r, "Concat");
        int[] out = first.shape.clone();
        boolean integer = first.isInteger();
        for (int p = 1; p < parts.size(); p++) {
            Const c = parts.get(p);
            if (c.rank() != r) {
                throw new ModelException("Concat inputs must have the same rank");
            }
            for (int i = 0; i < r; i++) {
                if (i != a && c.shape[i] != out[i]) {
                    throw new ModelException("Concat inputs differ outside axis " + axis + ": "
                            + Arrays.toString(first.shape) + " vs " + Arrays.toString(c.shape));
                }
            }
            out[a] += c.shape[a];
            integer &= c.isInteger();
        }
        long outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= out[i];
        }
        int n = Math.toIntExact(Tensor.numel(out));
        long[] lo = integer ? new long[n] : null;
        float[] fo = integer ? null : new float[n];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (Const c : parts) {
                long chunk = 1;
                for (int i = a; i < r; i++) {
                    chunk *= c.shape[i];
                }
                int start = (int) (o * chunk);
                if (integer) {
                    System.arraycopy(c.longs(), start, lo, k, (int) chunk);
                } else {
                    System.arraycopy(c.floats(), start, fo, k, (int) chunk);
                }
                k += (int) chunk;
            }
        }
        return integer ? Const.ofLongs(out, first.dtype, lo) : Const.ofFloats(out, first.dtype, fo);
    }

    /** Output shape of ONNX Unsqueeze. */
    static int[] unsqueezeShape(int[] in, int[] axes) {
        int r = in.length + axes.length;
        boolean[] ins = new boolean[r];
        for (int ax : axes) {
            int a = Shapes.axis(ax, r, "Unsqueeze");
            if (ins[a]) {
                throw new ModelException("Unsqueeze axis " + ax + " given twice");
            }
            ins[a] = true;
        }
        int[] o = new int[r];
        int k = 0;
        for (int i = 0; i < r; i++) {
            o[i] = ins[i] ? 1 : in[k++];
        }
        return o;
    }

    /** Output shape of ONNX Squeeze; {@code axes} null removes every size-1 axis. */
    static int[] squeezeShape(int[] in, int[] axes) {
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
            for (int i = 0; i < in.length; i++) {
                drop[i] = in[i] == 1;
            }
        } else {
            for (int ax : axes) {
                int a = Shapes.axis(ax, in.length, "Squeeze");
                if (in[a] != 1) {
                    throw new ModelException("Squeeze axis " + ax + " has size " + in[a] + ", not 1");
                }
                drop[a] = true;
            }
        }
        return java.util.stream.IntStream.range(0, in.length).filter(i -> !drop[i]).map(i -> in[i]).toArray();
    }

    /** ONNX Cast of a constant to element type {@code to}. */
    static Const cast(Const c, int to) {
        if (OnnxTensors.isFloatType(to)) {
            if (c.isFill()) {
                return Const.filled(c.shape, to, (float) c.fillValue());
            }
            return Const.ofFloats(c.shape, to, c.floats());
        }
        if (to == OnnxTensors.STRING) {
            throw new ModelException("Cast to STRING is not supported");
        }
        if (c.isFill()) {
            double v = c.fillValue();
            return Const.filled(c.shape, to, to == OnnxTensors.BOOL ? (v != 0 ? 1 : 0) : (long) v);
        }
        long[] v = c.longs().clone();
        if (to == OnnxTensors.BOOL) {
            float[] f = c.isInteger() ? null : c.floats();
            for (int i = 0; i < v.length; i++) {
                v[i] = (f != null ? f[i] != 0 : v[i] != 0) ? 1 : 0;
            }
        }
        return Const.ofLongs(c.shape, to, v);
    }

    /** ONNX Slice of a constant (starts/ends clamped as the operator specifies, negative steps allowed). */
    static Const slice(Const c, long[] starts, long[] ends, long[] axes, long[] steps) {
        int r = c.rank();
        if (starts.length != ends.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length)) {
            throw new ModelException("Slice starts, ends, axes and steps must have the same length");
        }
        long[] st = new long[r];
        long[] step = new long[r];
        int[] out = c.shape.clone();
        for (int i = 0; i < r; i++) {
            step[i] = 1;
        }
        for (int k = 0; k < starts.length; k++) {
            int a = Shapes.axis(axes == null ? k : (int) axes[k], r, "Slice");
            long dim = c.shape[a];
            long s = steps == null ? 1 : steps[k];
            if (s == 0) {
                throw new ModelException("Slice step must not be 0");
            }
            long b = starts[k] < 0 ? starts[k] + dim : starts[k];
            long e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (s > 0) {
                b = Math.max(0, Math.min(dim, b));
                e = Math.max(0, Math.min(dim, e));
                out[a] = (int) Math.max(0, (e - b + s - 1) / s);
            } else {
                b = Math.max(-1, Math.min(dim - 1, b));
                e = Math.max(-1, Math.min(dim - 1, e));
                out[a] = (int) Math.max(0, (b - e + (-s) - 1) / (-s));
            }
            st[a] = b;
            step[a] = s;
        }
        int n = Math.toIntExact(Tensor.numel(out));
        long[] strides = strides(c.shape);
        long[] lo = c.isInteger() ? new long[n] : null;
        float[] fo = c.isInteger() ? null : new float[n];
        int[] idx = new int[r];
        for (int k = 0; k < n; k++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                src += (st[i] + idx[i] * step[i]) * strides[i];
            }
            if (lo != null) {
                lo[k] = c.longs()[(int) src];
            } else {
                fo[k] = c.floats()[(int) src];
            }
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < out[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return lo != null ? Const.ofLongs(out, c.dtype, lo) : Const.ofFloats(out, c.dtype, fo);
    }

    /** A tensor broadcast (NumPy rules) to {@code shape}, row-major: per-element parameters of a quantizer. */
    static float[] broadcastTo(Tensor t, int[] shape) {
        int[] out = Shapes.broadcast(shape, t.shape(), "broadcast");
        if (!Arrays.equals(out, shape)) {
            throw new ModelException("shape " + t.shapeString() + " does not broadcast to " + Arrays.toString(shape));
        }
        int n = Math.toIntExact(Tensor.numel(shape));
        int[] src = sourceOffsets(shape, broadcastStrides(t.shape(), shape), n);
        float[] v = t.data();
        float[] o = new float[n];
        for (int k = 0; k < n; k++) {
            o[k] = v[src[k]];
        }
        return o;
    }
}
