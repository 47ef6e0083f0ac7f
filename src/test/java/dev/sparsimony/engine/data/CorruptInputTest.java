package dev.sparsimony.engine.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated and bit-flipped files of every format: the only exception that may escape is ModelException. */
class CorruptInputTest {
    @TempDir
    Path tmp;

    private static void expectOnlyModelException(Runnable r, String what) {
        try {
            r.run();
        } catch (ModelException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), what);
            if (Boolean.getBoolean("corrupt.verbose") || System.getenv("CORRUPT_VERBOSE") != null) {
                System.out.println("MSG " + what + " -> " + e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            fail(what + ": " + e, e);
        }
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    @Test
    void dataLoadersSurviveDamage() throws IOException {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Path npy = tmp.resolve("v.npy");
        Npy.write(npy, NpyArray.ofFloats(t));
        Path npz = tmp.resolve("v.npz");
        Npz.write(npz, Map.of("x", NpyArray.ofFloats(t), "y", NpyArray.ofInts(new int[] {0, 1, 2})));
        ByteArrayOutputStream idx = new ByteArrayOutputStream();
        idx.write(new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8});
        Map<String, byte[]> files = Map.of(
                "v.npy", Files.readAllBytes(npy),
                "v.npz", Files.readAllBytes(npz),
                "a-images-idx3-ubyte", idx.toByteArray(),
                "a-images-idx3-ubyte.gz", gzip(idx.toByteArray()),
                "v.csv", "a,b,label\n1,2,0\n3,4,1\n".getBytes(),
                "v.dat", "1 2 3\n4 5 6\n".getBytes());
        Random rnd = new Random(42);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] good = e.getValue();
            Path p = tmp.resolve("d").resolve(e.getKey());
            Files.createDirectories(p.getParent());
            for (int cut = 0; cut < good.length; cut += Math.max(1, good.length / 40)) {
                Files.write(p, Arrays.copyOf(good, cut));
                expectOnlyModelException(() -> DataFiles.load(p), e.getKey() + " cut at " + cut);
            }
            for (int k = 0; k < 20; k++) {
                byte[] b = good.clone();
                b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                Files.write(p, b);
                expectOnlyModelException(() -> DataFiles.load(p), e.getKey() + " flip " + k);
                expectOnlyModelException(() -> DataFiles.loadLabels(p), e.getKey() + " labels flip " + k);
            }
        }
    }

    @Test
    void projectFormatSurvivesDamage() throws IOException {
        Model m = new Model("s", List.of(new ValueInfo("x", new int[] {-1, 3})),
                List.of(new Node("d", new Ops.Dense(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2), null),
                        List.of("x")), new Node("a", Ops.Activation.of(ActivationKind.RELU), List.of("d"))),
                List.of("a"));
        Path dir = tmp.resolve("m");
        ProjectFormat.write(m, dir);
        byte[] manifest = Files.readAllBytes(dir.resolve("model.json"));
        byte[] kernel = Files.readAllBytes(dir.resolve("d_kernel.npy"));
        Random rnd = new Random(7);
        for (int cut = 0; cut < manifest.length; cut += 7) {
            Files.write(dir.resolve("model.json"), Arrays.copyOf(manifest, cut));
            expectOnlyModelException(() -> ModelFiles.load(dir), "manifest cut at " + cut);
        }
        for (int k = 0; k < 30; k++) {
            byte[] b = manifest.clone();
            b[rnd.nextInt(b.length)] = (byte) "{}[],:\"0-aZ \n".charAt(rnd.nextInt(13));
            Files.write(dir.resolve("model.json"), b);
            expectOnlyModelException(() -> ProjectFormat.read(dir), "manifest edit " + k);
        }
        Files.write(dir.resolve("model.json"), manifest);
        for (int cut = 0; cut < kernel.length; cut += 5) {
            Files.write(dir.resolve("d_kernel.npy"), Arrays.copyOf(kernel, cut));
            expectOnlyModelException(() -> ProjectFormat.read(dir), "kernel cut at " + cut);
        }
    }
}
