package dev.sparsimony.engine.io.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads ONNX {@code TensorProto}s: model initializers and the serialized test-data files ({@code input_0.pb})
 * of the ONNX backend tests and model zoo. Values live either in {@code raw_data} (little-endian, row-major) or
 * in the typed repeated fields; which typed field holds which element type follows the comments of the
 * official onnx.proto (e.g. FLOAT16 bits and all small integers in {@code int32_data}).
 */
public final class OnnxTensors {
    // TensorProto.DataType numbers (onnx.proto)
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int UINT16 = 4;
    static final int INT16 = 5;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int STRING = 8;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int UINT32 = 12;
    static final int UINT64 = 13;
    static final int BFLOAT16 = 16;

    private OnnxTensors() {
    }

    /** A tensor read from a {@code .pb} file with its ONNX element type name (e.g. "FLOAT", "UINT8"). */
    public record Read(String name, Tensor tensor, String elementType) {
    }

    /** Reads one serialized TensorProto (no framing), as written by {@code onnx.numpy_helper.from_array}. */
    public static Read read(Path path) {
        byte[] bytes;
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new ModelException("tensor file " + path + " is not a regular file (a folder, a pipe or a device?)");
        }
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelException("tensor file not found: " + path);
        } catch (IOException e) {
            throw new ModelException("cannot read tensor file " + path + ": " + e.getMessage(), e);
        }
        TensorProto t;
        try {
            t = TensorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(path.getFileName() + " is not a serialized ONNX TensorProto ("
                    + e.getMessage() + ")", e);
        }
        if (!t.hasDataType() || t.getDataType() == 0) {
            throw new ModelException(path.getFileName() + " is not a serialized ONNX TensorProto (no element type)");
        }
        try {
            Const c = decode(t, null);
            return new Read(t.getName(), c.toTensor(), typeName(t.getDataType()));
        } catch (ModelException e) {
            throw new ModelException(path.getFileName() + ": " + e.getMessage(), e);
        }
    }

    static boolean isFloatType(int dtype) {
        return dtype == FLOAT || dtype == DOUBLE || dtype == FLOAT16 || dtype == BFLOAT16;
    }

    static String typeName(int dtype) {
        TensorProto.DataType d = TensorProto.DataType.forNumber(dtype);
        return d == null ? "type " + dtype : d.name();
    }

    /** Shape from the dims field; {@code what} names the tensor in messages. */
    static int[] shapeOf(TensorProto t, String what) {
        int[] s = new int[t.getDimsCount()];
        for (int i = 0; i < s.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelException(what + " has invalid dimension " + d);
            }
            s[i] = (int) d;
        }
        return s;
    }

    /** Decodes a tensor's values; {@code what} (may be null) names it in messages. */
    static Const decode(TensorProto t, String what) {
        String label = what != null ? what : "tensor" + (t.getName().isEmpty() ? "" : " '" + t.getName() + "'");
        int dtype = t.getDataType();
        int[] shape = shapeOf(t, label);
        long n = Tensor.numel(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelException(label + " has " + n + " values, more than a Java array holds");
        }
        int count = (int) n;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new ModelException(label + " keeps its values in an external data file, which Sparsimony does not"
                    + " read; save the model with the weights inside (onnx.save_model(..., save_as_external_data=False))");
        }
        if (t.hasSegment()) {
            throw new ModelException(label + " is a segment of a larger tensor, which Sparsimony does not support");
        }
        boolean raw = t.hasRawData();
        ByteBuffer bb = raw ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        switch (dtype) {
            case FLOAT -> {
                float[] v = new float[count];
                if (raw) {
                    need(bb, count, 4, label);
                    bb.asFloatBuffer().get(v);
                } else {
                    need(t.getFloatDataCount(), count, label, "float_data");
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
                return Const.ofFloats(shape, FLOAT, v);
            }
            case DOUBLE -> {
                float[] v = new float[count];
                if (raw) {
                    need(bb, count, 8, label);
                    for (int i = 0; i < count; i++) {
                        v[i] = (float) bb.getDouble(i * 8);
                    }
                } else {
                    need(t.getDoubleDataCount(), count, label, "double_data");
                    for (int i = 0; i < count; i++) {
                        v[i] = (float) t.getDoubleData(i);
                    }
                }
                return Const.ofFloats(shape, DOUBLE, v);
            }
            case FLOAT16, BFLOAT16 -> {
                float[] v = new float[count];
                if (raw) {
                    need(bb, count, 2, label);
                }
                if (!raw) {
                    need(t.getInt32DataCount(), count, label, "int32_data");
                }
                for (int i = 0; i < count; i++) {
                    int bits = raw ? bb.getShort(i * 2) & 0xffff : t.getInt32Data(i) & 0xffff;
                    v[i] = dtype == FLOAT16 ? halfToFloat(bits) : Float.intBitsToFloat(bits << 16);
                }
                return Const.ofFloats(shape, dtype, v);
            }
            case UINT8, INT8, UINT16, INT16, INT32, BOOL -> {
                long[] v = new long[count];
                if (raw) {
                    int size = switch (dtype) {
                        case UINT8, INT8, BOOL -> 1;
                        case UINT16, INT16 -> 2;
                        default -> 4;
                    };
                    need(bb, count, size, label);
                    for (int i = 0; i < count; i++) {
                        v[i] = switch (dtype) {
                            case UINT8, BOOL -> bb.get(i) & 0xff;
                            case INT8 -> bb.get(i);
                            case UINT16 -> bb.getShort(i * 2) & 0xffff;
                            case INT16 -> bb.getShort(i * 2);
                            default -> bb.getInt(i * 4);
                        };
                    }
                } else {
                    need(t.getInt32DataCount(), count, label, "int32_data");
                    for (int i = 0; i < count; i++) {
                        int x = t.getInt32Data(i);
                        v[i] = switch (dtype) {
                            case UINT8, BOOL -> x & 0xff;
                            case INT8 -> (byte) x;
                            case UINT16 -> x & 0xffff;
                            case INT16 -> (short) x;
                            default -> x;
                        };
                    }
                }
                return Const.ofLongs(shape, dtype, v);
            }
            case INT64, UINT32, UINT64 -> {
                long[] v = new long[count];
                if (raw) {
                    int size = dtype == UINT32 ? 4 : 8;
                    need(bb, count, size, label);
                    for (int i = 0; i < count; i++) {
                        v[i] = size == 4 ? bb.getInt(i * 4) & 0xffffffffL : bb.getLong(i * 8);
                    }
                } else if (dtype == INT64) {
                    need(t.getInt64DataCount(), count, label, "int64_data");
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                } else {
                    need(t.getUint64DataCount(), count, label, "uint64_data");
                    for (int i = 0; i < count; i++) {
                        v[i] = t.getUint64Data(i);
                    }
                }
                return Const.ofLongs(shape, dtype, v);
            }
            default -> throw new ModelException(label + " has element type " + typeName(dtype)
                    + ", which Sparsimony does not support (supported: FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, UINT8,"
                    + " INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL)");
        }
    }

    private static void need(ByteBuffer bb, int count, int size, String label) {
        if ((long) count * size != bb.remaining()) {
            throw new ModelException(label + " has " + bb.remaining() + " bytes of raw data, expected " + (long) count * size);
        }
    }

    private static void need(int have, int count, String label, String field) {
        if (have != count) {
            throw new ModelException(label + " has " + have + " values in " + field + ", its shape needs " + count);
        }
    }

    /** Builds a FLOAT TensorProto with raw data (for tests and for writing predictions). */
    public static TensorProto toProto(String name, Tensor t) {
        ByteBuffer bb = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(t.data());
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(FLOAT).setRawData(ByteString.copyFrom(bb));
        if (name != null) {
            b.setName(name);
        }
        for (int d : t.shape()) {
            b.addDims(d);
        }
        return b.build();
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static String shapeString(int[] s) {
        return Arrays.toString(s);
    }
}
