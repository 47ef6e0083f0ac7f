package dev.sparsimony.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.DataOptions;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.NonFiniteException;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regressions for the hostile files of issue 13 (data files, NumPy, project format, pipes). */
class HostileInputTest {
    @TempDir
    Path dir;

    private static void userWords(String m) {
        assertFalse(m.matches("(?s).*\\b\\w*(Exception|Error)\\b.*"), m);
        for (char c : m.toCharArray()) {
            assertFalse(Character.isISOControl(c), "control character in: " + m);
        }
    }

    /** A .npy whose header's shape is a tuple nested {@code depth} deep. */
    private static byte[] nestedNpy(int depth) {
        String shape = "(".repeat(depth) + "1" + ")".repeat(depth);
        String h = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
        int len = h.length();
        b.writeBytes(new byte[] {(byte) len, (byte) (len >> 8), (byte) (len >> 16), 0});
        b.writeBytes(h.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(new byte[4]);
        return b.toByteArray();
    }

    @Test
    void deeplyNestedNpyHeaderIsOneLineNotAStackOverflow() throws IOException {
        Path f = dir.resolve("deep.npy");
        Files.write(f, nestedNpy(5000));
        ModelException e = assertThrows(ModelException.class, () -> DataFiles.load(f));
        assertTrue(e.getMessage().contains("nested more than"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "the header is not echoed whole: " + e.getMessage());
        userWords(e.getMessage());
        Path z = dir.resolve("deep.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(z))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(nestedNpy(5000));
            zip.closeEntry();
        }
        ModelException ez = assertThrows(ModelException.class, () -> DataFiles.load(z));
        assertTrue(ez.getMessage().contains("nested more than"), ez.getMessage());
    }

    @Test
    void damagedNpyHeaderIsNotEchoedRaw() throws IOException {
        byte[] good = nestedNpy(1);
        byte[] bad = good.clone();
        bad[20] = 1;
        bad[21] = '\n';
        Path f = dir.resolve("bad.npy");
        Files.write(f, bad);
        ModelException e = assertThrows(ModelException.class, () -> DataFiles.load(f));
        userWords(e.getMessage());
    }

    /** A chain of 5,000 Identity layers took over two minutes to compile (each view walked the earlier ones). */
    @Test
    void longIdentityChainLoadsAndRunsInLinearTime() {
        List<Node> nodes = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i < 5000; i++) {
            nodes.add(new Node("id" + i, new Ops.Identity(), List.of(prev)));
            prev = "id" + i;
        }
        Model m = new Model("chain", List.of(new ValueInfo("x", new int[] {-1, 4})), nodes, List.of(prev));
        Path p = dir.resolve("chain");
        ProjectFormat.write(m, p);
        Tensor y = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Inference.predict(ModelFiles.load(p),
                Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4)));
        assertEquals(8f, y.data()[7]);
    }

    /** A named pipe given as the data or model file blocked forever. */
    @Test
    void namedPipesAreRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("pipe.npz");
        Path fifoModel = dir.resolve("pipe.onnx");
        try {
            Process mk = new ProcessBuilder("mkfifo", fifo.toString(), fifoModel.toString()).start();
            Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
        } catch (IOException e) {
            Assumptions.abort("no mkfifo on this machine");
        }
        ModelException d = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ModelException.class, () -> DataFiles.load(fifo)));
        assertTrue(d.getMessage().contains("not a regular file"), d.getMessage());
        ModelException m = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ModelException.class, () -> ModelFiles.load(fifoModel)));
        assertTrue(m.getMessage().contains("not a regular file"), m.getMessage());
    }

    /** The CRC-32 of .npz members was not checked: a corrupted validation.npz gave 18 % instead of 74.75 %. */
    @Test
    void corruptedNpzMemberFailsItsCrc() throws IOException {
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        Npy.write(npy, NpyArray.ofFloats(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)));
        byte[] data = npy.toByteArray();
        Path z = dir.resolve("v.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(z))) {
            ZipEntry e = new ZipEntry("x.npy");
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        }
        assertEquals(4f, DataFiles.load(z).x().data()[3]);
        byte[] all = Files.readAllBytes(z);
        int at = indexOf(all, data) + data.length - 2; // inside the last float
        all[at] ^= 0x40;
        Files.write(z, all);
        ModelException e = assertThrows(ModelException.class, () -> DataFiles.load(z));
        assertTrue(e.getMessage().contains("fails its CRC-32 check"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** "accuracy: NaN % on 0 samples" with exit 0: empty data is an error. */
    @Test
    void emptyDataIsAnError() throws IOException {
        Path f = dir.resolve("empty.npy");
        Npy.write(f, NpyArray.ofFloats(Tensor.zeros(0, 16)));
        ModelException e = assertThrows(ModelException.class, () -> DataFiles.load(f));
        assertEquals("data 'empty.npy' holds no samples (shape [0, 16])", e.getMessage());
        Path csv = dir.resolve("header-only.csv");
        Files.writeString(csv, "a,b,label\n");
        assertThrows(ModelException.class, () -> DataFiles.load(csv));
    }

    /** NaN in .npy/.npz data was accepted while CSV refused the text "nan": one policy for every format. */
    @Test
    void nonFiniteDataFollowsOnePolicyInEveryFormat() throws IOException {
        Path npy = dir.resolve("x.npy");
        Npy.write(npy, NpyArray.ofFloats(Tensor.of(new float[] {1, Float.NaN, 3, 4}, 2, 2)));
        Path npz = dir.resolve("d.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", NpyArray.ofFloats(Tensor.of(new float[] {1, 2, Float.NEGATIVE_INFINITY, 4}, 2, 2)));
        Npz.write(npz, m);
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,b\n1,nan\n3,inf\n");
        for (Path p : List.of(npy, npz, csv)) {
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> DataFiles.load(p));
            assertTrue(e.getMessage().startsWith(p.getFileName() + " has NaN or infinite values: data '"
                    + p.getFileName() + "' ("), e.getMessage() + " | " + p);
            Dataset d = DataFiles.load(p, DataOptions.DEFAULT, NonFinite.Policy.ALLOW);
            assertEquals(2, d.size());
        }
        assertTrue(Float.isInfinite(DataFiles.load(csv, DataOptions.DEFAULT, NonFinite.Policy.ALLOW).x().data()[3]));
    }
}
