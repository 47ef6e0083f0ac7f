package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.model.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionCodecTest {
    @TempDir
    Path dir;

    static Session sample() {
        Provenance prov = new Provenance("m", "aa", "d", "bb", "test", 1, "optimal", 2, 1.5);
        DesignPoint p = DesignPoint.of(PruneSpec.magnitude(0.4, true))
                .withLayer("fc1", LayerSpec.exempted().withReuseFactor(4))
                .withHardware(HardwareSpec.defaults().withStrategy("resource").withReuseFactor(2));
        PointResult r = new PointResult(3, p.key(), "ok", null, p, Map.of("sparsity", 0.4), true, "accuracy", 0.73,
                12, 4, 900, 700, 9, 2, 45.0, 1200, 0.4, 100, false, List.of(), List.of(
                new PointResult.Layer("fc1", 0, 32, 4, "resource", 3, 2, 100, 90, 4)), prov);
        PointResult failed = PointResult.failed(4, p.withSeed(2), "k", Map.of(), "reuse factor 3 is not valid", prov);
        return new Session(Session.VERSION, "sample-models/jet-mlp", "aa", "val.npz", "bb", p,
                new Session.SpaceSetup(List.of(new Session.AxisText("prune.sparsity", "0:0.9:0.1")), "nsga2", 300, 2,
                        null), List.of(r, failed), Map.of("tab", "tab-explore", "selected", "3"));
    }

    @Test
    void roundTrip() {
        Session s = sample();
        Path f = dir.resolve("a.session.json");
        SessionCodec.write(f, s);
        Session back = SessionCodec.read(f);
        assertEquals(s.point(), back.point());
        assertEquals(s.space(), back.space());
        assertEquals(s.view(), back.view());
        assertEquals(2, back.results().size());
        assertEquals(s.results().get(0), back.results().get(0));
        assertEquals(s.results().get(1).error(), back.results().get(1).error());
        assertEquals(SessionCodec.write(s), SessionCodec.write(back), "stable bytes");
    }

    @Test
    void newerDamagedOrForeignFilesAreRefusedAndAFailedWriteKeepsThePreviousFile() throws Exception {
        Path f = dir.resolve("s.session.json");
        SessionCodec.write(f, sample());
        String newer = Files.readString(f).replace("\"version\" : 1", "\"version\" : 9");
        Path nf = Files.writeString(dir.resolve("newer.json"), newer);
        assertTrue(assertThrows(ModelException.class, () -> SessionCodec.read(nf)).getMessage().contains("newer"));
        Path cut = Files.write(dir.resolve("cut.json"), java.util.Arrays.copyOf(Files.readAllBytes(f), 300));
        assertTrue(assertThrows(ModelException.class, () -> SessionCodec.read(cut)).getMessage().contains("damaged"));
        Path other = Files.writeString(dir.resolve("point.json"), DesignPointCodec.write(sample().point()));
        assertTrue(assertThrows(ModelException.class, () -> SessionCodec.read(other)).getMessage()
                .contains("not a Sparsimony session"));
        // a write that cannot happen (the folder is a file) leaves the previous session as it was
        byte[] before = Files.readAllBytes(f);
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        assertThrows(ModelException.class, () -> SessionCodec.write(blocker.resolve("x.session.json"), sample()));
        assertArrayEquals(before, Files.readAllBytes(f));
    }
}
