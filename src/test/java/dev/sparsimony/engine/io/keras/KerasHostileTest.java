package dev.sparsimony.engine.io.keras;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.NonFiniteException;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keras findings of issue 13: NaN weights, and damage inside a weights file blamed on the right file. */
class KerasHostileTest {
    @TempDir
    Path dir;

    @Test
    void nonFiniteKerasWeightsAreReported() throws IOException {
        Files.writeString(dir.resolve("net.json"), KerasImporterTest.CNN);
        KerasImporterTest.cnnWeights().put("out", "bias", Tensor.of(new float[] {0, Float.NaN, 1}, 3))
                .writeWeights(dir.resolve("net_weights.h5"));
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> ModelFiles.load(dir.resolve("net.json")));
        assertTrue(e.getMessage().contains("layer 'out' bias (1 NaN of 3 values)"), e.getMessage());
        ModelFiles.load(dir.resolve("net.json"), NonFinite.Policy.ALLOW);
    }

    /** Damage in net_weights.h5 was reported as "net.json is corrupt (HdfException: ...)". */
    @Test
    void damageInTheWeightsFileNamesTheWeightsFile() throws IOException {
        Files.writeString(dir.resolve("net.json"), KerasImporterTest.CNN);
        Path w = dir.resolve("net_weights.h5");
        KerasImporterTest.cnnWeights().writeWeights(w);
        byte[] good = Files.readAllBytes(w);
        Random r = new Random(13);
        for (int k = 0; k < 120; k++) {
            byte[] bad = good.clone();
            for (int j = 0; j < 4; j++) {
                bad[512 + r.nextInt(bad.length - 512)] ^= (byte) (1 << r.nextInt(8));
            }
            Files.write(w, bad);
            try {
                ModelFiles.load(dir.resolve("net.json"), NonFinite.Policy.ALLOW);
            } catch (ModelException e) {
                String m = e.getMessage();
                assertFalse(m.startsWith("net.json is corrupt") || m.startsWith("Keras: net.json"), m);
                assertFalse(m.matches("(?s).*\\b\\w*(Exception|Error)\\b.*") || m.contains("\n"), m);
            }
        }
    }
}
