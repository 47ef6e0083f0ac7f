package dev.sparsimony.engine.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    @TempDir
    Path tmp;

    private static NpyArray sample(String dtype, int... shape) {
        DType t = DType.parse(dtype, "test");
        int n = (int) Tensor.numel(shape);
        if (t.isFloat()) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (i - n / 2f) * 0.5f;
            }
            return new NpyArray(dtype, shape, f, null);
        }
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = t.kind() == 'b' ? i % 3 == 0 ? 1 : 0 : t.kind() == 'u' ? i * 7 % 200 : (i * 7 % 200) - 100;
        }
        return new NpyArray(dtype, shape, null, l);
    }

    private static NpyArray roundTrip(NpyArray a, boolean fortran) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a, fortran);
        byte[] b = out.toByteArray();
        int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + hlen) % 64, "data must start on a 64-byte boundary");
        return Npy.read(new ByteArrayInputStream(b), "t.npy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<f2", ">f2", "<f4", ">f4", "<f8", ">f8", "|i1", "<i2", ">i2", "<i4", ">i4", "<i8",
            ">i8", "|u1", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8", "|b1"})
    void everyDtypeRoundTripsInBothOrders(String dtype) throws IOException {
        for (int[] shape : new int[][] {{}, {5}, {2, 3}, {2, 3, 4}, {0, 3}}) {
            NpyArray a = sample(dtype, shape);
            assertEquals(a, roundTrip(a, false), dtype + " " + Arrays.toString(shape));
            assertEquals(a, roundTrip(a, true), dtype + " fortran " + Arrays.toString(shape));
        }
    }

    @Test
    void readsHandMadeNumpyFilesOfAllVersions() throws IOException {
        // bytes as numpy.save writes them for np.array([[1, 2, 3], [4, 5, 6]], dtype='>i4', order='F')
        for (int major = 1; major <= 3; major++) {
            String dict = "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }";
            ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
            for (int v : new int[] {1, 4, 2, 5, 3, 6}) {
                data.putInt(v);
            }
            NpyArray a = Npy.read(new ByteArrayInputStream(npyBytes(major, dict, data.array())), "h.npy");
            assertArrayEquals(new int[] {2, 3}, a.shape());
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, a.toInts());
        }
    }

    static byte[] npyBytes(int major, String dict, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Npy.MAGIC);
        out.write(major);
        out.write(0);
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        if (major == 1) {
            out.write(h.length & 0xff);
            out.write(h.length >> 8);
        } else {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        }
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void float16ConversionsAreExactOnRepresentableValues() {
        for (float v : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.333251953125f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertEquals(v, Npy.halfToFloat(Npy.floatToHalf(v)), "value " + v);
        }
        assertTrue(Float.isNaN(Npy.halfToFloat(Npy.floatToHalf(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, Npy.halfToFloat(Npy.floatToHalf(1e6f)));
        // exhaustive: every finite half survives half -> float -> half
        for (int h = 0; h < 0x10000; h++) {
            float f = Npy.halfToFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, Npy.floatToHalf(f), "half bits " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void tensorAndIntHelpers() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Path p = tmp.resolve("t.npy");
        Npy.write(p, NpyArray.ofFloats(t));
        assertEquals(t, Npy.read(p).toTensor());
        Npy.write(p, NpyArray.ofInts(new int[] {3, 1, 4}));
        NpyArray a = Npy.read(p);
        assertEquals("<i8", a.dtype());
        assertArrayEquals(new int[] {3, 1, 4}, a.toInts());
        assertEquals(Tensor.of(new float[] {3, 1, 4}, 3), a.toTensor());
        assertThrows(ModelException.class, () -> NpyArray.ofFloats(Tensor.of(new float[] {0.5f}, 1)).toInts());
    }

    @Test
    void truncatedFileSaysWhatIsMissing() throws IOException {
        Path p = tmp.resolve("x.npy");
        Npy.write(p, NpyArray.ofFloats(Tensor.zeros(10000, 16)));
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, 128 + 1234));
        ModelException e = assertThrows(ModelException.class, () -> Npy.read(p));
        assertEquals("x.npy is truncated: header says 10000x16 float32 (640000 bytes) but only 1234 bytes follow",
                e.getMessage());
        Files.write(p, Arrays.copyOf(all, 30));
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("header"));
    }

    @Test
    void malformedFilesAreModelExceptions() throws IOException {
        Path p = tmp.resolve("bad.npy");
        Files.writeString(p, "hello world, not numpy");
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("not a NumPy"));
        Files.write(p, npyBytes(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", new byte[16]));
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("complex"));
        Files.write(p, npyBytes(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new byte[16]));
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("bad.npy"));
        Files.write(p, npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,, }", new byte[8]));
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("malformed"));
        Files.write(p, npyBytes(1, "{'descr': '<f4', 'shape': (2,), }", new byte[8]));
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("malformed"));
        Files.write(p, npyBytes(4, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]));
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("version 4"));
        Files.write(p, npyBytes(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
                new byte[8]));
        assertTrue(assertThrows(ModelException.class, () -> Npy.read(p)).getMessage().contains("structured"));
        ModelException e = assertThrows(ModelException.class, () -> Npy.read(tmp.resolve("missing.npy")));
        assertTrue(e.getMessage().contains("missing.npy") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void npzRoundTripAndStoredEntries() throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", NpyArray.ofFloats(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)));
        m.put("y", NpyArray.ofInts(new int[] {0, 1}));
        Path p = tmp.resolve("d.npz");
        Npz.write(p, m);
        assertEquals(m, Npz.read(p));

        // numpy.savez (not _compressed) stores entries uncompressed
        Path s = tmp.resolve("stored.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(s))) {
            for (Map.Entry<String, NpyArray> e : m.entrySet()) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                Npy.write(b, e.getValue());
                byte[] bytes = b.toByteArray();
                ZipEntry ze = new ZipEntry(e.getKey() + ".npy");
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(bytes.length);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(bytes);
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                z.write(bytes);
                z.closeEntry();
            }
        }
        assertEquals(m, Npz.read(s));
    }

    @Test
    void corruptNpzIsAModelException() throws IOException {
        Path p = tmp.resolve("c.npz");
        Files.writeString(p, "PK\u0003\u0004 this is not really a zip archive at all............");
        ModelException e = assertThrows(ModelException.class, () -> Npz.read(p));
        assertTrue(e.getMessage().contains("c.npz"), e.getMessage());
        Path q = tmp.resolve("t.npz");
        Npz.write(q, Map.of("x", NpyArray.ofFloats(Tensor.zeros(1000))));
        byte[] all = Files.readAllBytes(q);
        Files.write(q, Arrays.copyOf(all, all.length / 2));
        assertTrue(assertThrows(ModelException.class, () -> Npz.read(q)).getMessage().contains("t.npz"));
        assertThrows(ModelException.class, () -> Npz.read(tmp.resolve("none.npz")));
    }
}
