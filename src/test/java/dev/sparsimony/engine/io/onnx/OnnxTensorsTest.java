package dev.sparsimony.engine.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTensorsTest {
    @TempDir
    Path dir;

    private OnnxTensors.Read roundTrip(TensorProto t) throws IOException {
        Path p = dir.resolve("t.pb");
        Files.write(p, t.toByteArray());
        return OnnxTensors.read(p);
    }

    @Test
    void rawFloatAndScalar() throws IOException {
        OnnxTensors.Read r = roundTrip(OnnxTensors.toProto("x", Tensor.of(new float[] {1, -2.5f, 3, 4, 5, 6}, 2, 3)));
        assertEquals("FLOAT", r.elementType());
        assertEquals("x", r.name());
        assertArrayEquals(new int[] {2, 3}, r.tensor().shape());
        assertArrayEquals(new float[] {1, -2.5f, 3, 4, 5, 6}, r.tensor().data());
        OnnxTensors.Read s = roundTrip(TensorProto.newBuilder().setDataType(1).addFloatData(7f).build());
        assertEquals(0, s.tensor().rank());
        assertEquals(7f, s.tensor().data()[0]);
    }

    @Test
    void integerTypesRawAndTyped() throws IOException {
        OnnxTensors.Read u8 = roundTrip(TensorProto.newBuilder().setDataType(2).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[] {0, (byte) 200, (byte) 255})).build());
        assertEquals("UINT8", u8.elementType());
        assertArrayEquals(new float[] {0, 200, 255}, u8.tensor().data());
        OnnxTensors.Read i8 = roundTrip(TensorProto.newBuilder().setDataType(3).addDims(2)
                .setRawData(ByteString.copyFrom(new byte[] {-128, 127})).build());
        assertArrayEquals(new float[] {-128, 127}, i8.tensor().data());
        OnnxTensors.Read i32 = roundTrip(TensorProto.newBuilder().setDataType(6).addDims(2).addInt32Data(-5)
                .addInt32Data(9).build());
        assertArrayEquals(new float[] {-5, 9}, i32.tensor().data());
        OnnxTensors.Read i64 = roundTrip(TensorProto.newBuilder().setDataType(7).addDims(2)
                .setRawData(ByteString.copyFrom(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, -2, -1, -1, -1, -1, -1, -1, -1}))
                .build());
        assertArrayEquals(new float[] {1, -2}, i64.tensor().data());
    }

    @Test
    void doubleAndHalf() throws IOException {
        OnnxTensors.Read d = roundTrip(TensorProto.newBuilder().setDataType(11).addDims(2).addDoubleData(0.5)
                .addDoubleData(-3).build());
        assertArrayEquals(new float[] {0.5f, -3f}, d.tensor().data());
        // 0x3C00 = 1.0, 0xC000 = -2.0, 0x0001 = 2^-24, 0x7C00 = +inf
        OnnxTensors.Read h = roundTrip(TensorProto.newBuilder().setDataType(10).addDims(4)
                .setRawData(ByteString.copyFrom(new byte[] {0, 0x3C, 0, (byte) 0xC0, 1, 0, 0, 0x7C})).build());
        assertEquals("FLOAT16", h.elementType());
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY}, h.tensor().data());
    }

    @Test
    void wrongSizesAndTypesAreClearErrors() {
        assertThrows(ModelException.class, () -> roundTrip(TensorProto.newBuilder().setDataType(1).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[8])).build()));
        assertThrows(ModelException.class, () -> roundTrip(TensorProto.newBuilder().setDataType(8).addDims(1)
                .addStringData(ByteString.copyFromUtf8("a")).build()));
    }
}
