package dev.sparsimony.engine.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interoperability with real NumPy, when /usr/bin/python3 has it (skipped otherwise). */
class NumpyInteropTest {
    /** Debian's python (see /work/shared/stack.md); override with -Dsparsimony.python=... */
    private static final String PY = System.getProperty("sparsimony.python",
            System.getenv().getOrDefault("SPARSIMONY_PYTHON", "/usr/bin/python3"));
    private static boolean numpy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void probe() {
        numpy = run(null, "import numpy") == 0;
    }

    private static int run(Path dir, String script) {
        if (!Files.isExecutable(Path.of(PY))) {
            return -1;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(PY, "-c", script).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (p.exitValue() != 0 && dir != null) {
                System.err.println(out);
            }
            return p.exitValue();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    @Test
    void numpyReadsWhatWeWriteAndWeReadWhatNumpyWrites() throws IOException {
        assumeTrue(numpy, "NumPy is not available to " + PY + "; interoperability not checked");
        String[] dtypes = {"<f2", ">f4", "<f8", "|i1", ">i2", "<i4", "<i8", "|u1", ">u2", "<u4", "|b1"};
        for (String dt : dtypes) {
            long[] l = {0, 1, 0, 1, 1, 0};
            float[] f = {0, 1.5f, -2, 3.25f, 4, -5};
            NpyArray a = dt.contains("f") ? new NpyArray(dt, new int[] {2, 3}, f, null)
                    : new NpyArray(dt, new int[] {2, 3}, null, l);
            Npy.write(tmp.resolve("j" + dt.substring(1) + ".npy"), a);
        }
        Map<String, NpyArray> z = new LinkedHashMap<>();
        z.put("x", NpyArray.ofFloats(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)));
        z.put("y", NpyArray.ofInts(new int[] {1, 0}));
        Npz.write(tmp.resolve("j.npz"), z);
        String script = String.join("\n",
                "import numpy as np",
                "for dt in " + pyList(dtypes) + ":",
                "    a = np.load('j' + dt[1:] + '.npy')",
                "    assert a.dtype == np.dtype(dt), (dt, a.dtype)",
                "    exp = np.array([[0, 1, 0], [1, 1, 0]]) if dt[1] != 'f' else np.array([[0, 1.5, -2], [3.25, 4, -5]])",
                "    assert (a == exp.astype(dt)).all(), (dt, a)",
                "d = np.load('j.npz')",
                "assert (d['x'] == np.array([[1, 2], [3, 4]], 'f4')).all() and d['y'].dtype == np.int64",
                "np.save('fo.npy', np.asfortranarray(np.arange(24, dtype='>f8').reshape(2, 3, 4)))",
                "np.save('big.npy', np.arange(12, dtype='>u8').reshape(3, 4))",
                "np.savez('s.npz', a=np.arange(3, dtype='i2'), b=np.eye(2, dtype='?'))",
                "np.savez_compressed('c.npz', x=np.ones((4, 5), 'f4'), y=np.arange(4))");
        assertEquals(0, run(tmp, script), "python check failed");
        NpyArray fo = Npy.read(tmp.resolve("fo.npy"));
        float[] exp = new float[24];
        for (int i = 0; i < 24; i++) {
            exp[i] = i;
        }
        assertEquals(Tensor.of(exp, 2, 3, 4), fo.toTensor());
        assertEquals(Tensor.of(java.util.Arrays.copyOf(exp, 12), 3, 4), Npy.read(tmp.resolve("big.npy")).toTensor());
        Map<String, NpyArray> s = Npz.read(tmp.resolve("s.npz"));
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(s.keySet()));
        assertEquals("|b1", s.get("b").dtype());
        Map<String, NpyArray> c = Npz.read(tmp.resolve("c.npz"));
        assertEquals(20, c.get("x").size());
        assertEquals("<i8", c.get("y").dtype());
    }

    private static String pyList(String[] s) {
        StringBuilder sb = new StringBuilder("[");
        for (String x : s) {
            sb.append("'").append(x).append("',");
        }
        return sb.append("]").toString();
    }
}
