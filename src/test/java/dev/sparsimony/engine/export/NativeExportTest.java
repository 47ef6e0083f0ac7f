package dev.sparsimony.engine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project-format export round-trips exactly, with its masks and point; writing over it replaces it cleanly. */
class NativeExportTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsExactlyWithItsMasks() throws Exception {
        ExportJob job = ExportFixtures.job(ExportFixtures.DIGITS, ExportFixtures.digitsPoint(), 50);
        Export.write(job, List.of("native"), dir);
        Model back = ProjectFormat.read(dir);
        Model expected = job.compressed();
        assertEquals(expected.nodes().size(), back.nodes().size());
        for (Node n : expected.nodes()) {
            Node b = back.node(n.name());
            assertEquals(n.inputs(), b.inputs(), n.name());
            assertEquals(n.op().weights(), b.op().weights(), n.name() + ": weights bit for bit");
            assertEquals(n.op().kind(), b.op().kind());
        }
        assertEquals(expected.inputs(), back.inputs());
        assertEquals(expected.outputs(), back.outputs());
        expected.metadata().forEach((k, v) -> assertEquals(v, back.metadata().get(k), k));
        assertEquals("masks.npz", back.metadata().get("sparsimony.masks"));
        // masks: one boolean array per prunable layer in the kernel's shape; pruned weights are zero
        Map<String, NpyArray> masks = Npz.read(dir.resolve("masks.npz"));
        assertEquals(expected.prunableNodes().stream().map(Node::name).toList(), List.copyOf(masks.keySet()));
        int pruned = 0;
        for (Node n : expected.prunableNodes()) {
            NpyArray m = masks.get(n.name());
            assertEquals("|b1", m.dtype());
            float[] k = n.op().weights().get("kernel").data();
            assertArrayEquals(n.op().weights().get("kernel").shape(), m.shape());
            boolean[] keep = job.masks().get(n.name());
            for (int i = 0; i < k.length; i++) {
                assertEquals(keep[i] ? 1 : 0, m.longs()[i], n.name() + " mask " + i);
                if (!keep[i]) {
                    assertEquals(0f, k[i], n.name() + " pruned weight " + i);
                    pruned++;
                }
            }
        }
        assertTrue(pruned > 0);
        assertEquals(job.point().key(), DesignPointCodec.read(dir.resolve("point.json")).key());
    }

    @Test
    void writingOverAnExportReplacesItUnderTheSameNames() throws Exception {
        ExportJob half = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 50);
        Export.write(half, List.of("native"), dir);
        List<String> first = files();
        Export.write(half, List.of("native"), dir);
        assertEquals(first, files());
        ExportJob other = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint()
                .withPrune(dev.sparsimony.engine.explore.PruneSpec.magnitude(0.8, false)), 50);
        Export.write(other, List.of("native"), dir);
        assertEquals(first, files(), "same names, nothing left over");
        Model back = ProjectFormat.read(dir);
        for (Node n : other.compressed().prunableNodes()) {
            assertEquals(n.op().weights(), back.node(n.name()).op().weights());
        }
    }

    private List<String> files() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
