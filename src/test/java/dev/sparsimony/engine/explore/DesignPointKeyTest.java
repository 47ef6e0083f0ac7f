package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One meaning per design point: canonical form, keys, and the codec's reading and writing. */
class DesignPointKeyTest {

    @Provide
    Arbitrary<DesignPoint> points() {
        Arbitrary<String> gran = Arbitraries.of("unstructured", "rows", "block", "dsp-pattern", "columns");
        Arbitrary<Double> sparsity = Arbitraries.of(0.0, 0.1, 0.25, 0.5, 0.8);
        Arbitrary<Integer> bits = Arbitraries.of(0, 4, 6, 8, 16);
        Arbitrary<Integer> rf = Arbitraries.of(1, 2, 4);
        Arbitrary<String> strategy = Arbitraries.of("latency", "resource");
        Arbitrary<String> device = Arbitraries.of("xcvu9p", "xcku115", "xc7z020");
        return Combinators.combine(gran, sparsity, bits, rf, strategy, device, Arbitraries.of(true, false))
                .as((g, s, b, r, st, d, global) -> {
                    QuantizerSpec w = b == 0 ? QuantizerSpec.none() : QuantizerSpec.fixed(b, 1);
                    return DesignPoint.of(new PruneSpec(g, null, "l1", global ? "global" : "layer", s, null, null,
                            null)).withQuantizers(w, QuantizerSpec.fixed(16, 6), null)
                            .withHardware(new HardwareSpec(d, st, r, "parallel", null, null, null));
                });
    }

    /** Spellings of the same point: name, explicit defaults, part string, hls spelling, overrides equal to globals. */
    static DesignPoint respelt(DesignPoint p) {
        HardwareSpec h = p.hardware();
        String device = h.device().equals("xcvu9p") ? "xcvu9p-flga2104-2L-e" : h.device().toUpperCase();
        QuantizerSpec w = p.weights().fixed() == null ? p.weights()
                : new QuantizerSpec("fixed", null, p.weights().fixed().hlsType(), null, null, null);
        Map<String, LayerSpec> layers = Map.of("dense1", LayerSpec.empty().withReuseFactor(h.reuseFactor())
                .withStrategy(h.strategy().toUpperCase()));
        return p.withName("another name").withQuantizers(w, p.biases(), QuantizerSpec.none())
                .withHardware(h.withDevice(device).withIo("io_parallel").withPrecision("ap_fixed<16,6>")
                        .withStrictReuse(false))
                .withLayers(layers);
    }

    @Property(tries = 200)
    void equalKeysForEquivalentSpellings(@ForAll("points") DesignPoint p) {
        assertEquals(p.key(), respelt(p).key());
        assertEquals(p.canonical(), respelt(p).canonical());
        assertEquals(p.canonical(), p.canonical().canonical(), "canonical is idempotent");
        // the codec's round trip keeps the meaning
        assertEquals(p.key(), DesignPointCodec.read(DesignPointCodec.write(p), "p").key());
    }

    @Property(tries = 200)
    void differentKeysForDifferentChoices(@ForAll("points") DesignPoint a, @ForAll("points") DesignPoint b) {
        boolean same = a.canonical().equals(b.canonical());
        assertEquals(same, a.key().equals(b.key()), a + " / " + b);
    }

    @Test
    void whatChangesTheOutcomeChangesTheKey() {
        DesignPoint p = DesignPoint.of(PruneSpec.magnitude(0.5, true)).withQuantizers(QuantizerSpec.fixed(8, 1),
                null, null);
        assertNotEquals(p.key(), p.withPrune(PruneSpec.magnitude(0.6, true)).key());
        assertNotEquals(p.key(), p.withQuantizers(QuantizerSpec.fixed(6, 1), null, null).key());
        assertNotEquals(p.key(), p.withHardware(HardwareSpec.defaults().withReuseFactor(2)).key());
        assertNotEquals(p.key(), p.withLayer("fc1", LayerSpec.exempted()).key());
        // hardware settings do not change the accuracy key, unless the pruning follows them
        assertEquals(p.accuracyKey(), p.withHardware(HardwareSpec.defaults().withReuseFactor(2)).accuracyKey());
        DesignPoint dsp = p.withPrune(PruneSpec.structured("dsp-pattern", null, "l1", "global", 0.5));
        assertNotEquals(dsp.accuracyKey(), dsp.withHardware(HardwareSpec.defaults().withReuseFactor(2))
                .accuracyKey());
        // nothing pruned: the granularity does not matter
        assertEquals(DesignPoint.of(PruneSpec.none()).key(),
                DesignPoint.of(PruneSpec.structured("block", Map.of("rows", 2.0), "l2", "layer", 0)).key());
        // ... except N:M, which prunes at any requested sparsity
        assertNotEquals(DesignPoint.of(PruneSpec.none()).key(),
                DesignPoint.of(PruneSpec.structured("n-of-m", null, "l1", "layer", 0)).key());
        // a seed only matters to k-means
        assertEquals(p.key(), p.withSeed(99).key());
        DesignPoint km = p.withQuantizers(QuantizerSpec.kmeans(8), null, null);
        assertNotEquals(km.key(), km.withSeed(99).key());
    }

    @Test
    void unknownAndMisspeltFieldsAreRefusedByName() {
        String e = assertThrows(ModelException.class, () -> DesignPointCodec.read(
                "{\"prune\": {\"sparsty\": 0.5}}", "p.json")).getMessage();
        assertTrue(e.contains("'prune.sparsty'") && e.contains("sparsity"), e);
        e = assertThrows(ModelException.class, () -> DesignPointCodec.read(
                "{\"layers\": {\"fc1\": {\"reuse\": 2}}}", "p.json")).getMessage();
        assertTrue(e.contains("'layers.fc1.reuse'"), e);
        e = assertThrows(ModelException.class, () -> DesignPointCodec.read(
                "{\"prune\": {\"sparsity\": \"half\"}}", "p.json")).getMessage();
        assertTrue(e.contains("prune.sparsity"), e);
        e = assertThrows(ModelException.class, () -> DesignPointCodec.read("{\"version\": 9}", "p.json")).getMessage();
        assertTrue(e.contains("newer"), e);
        e = assertThrows(ModelException.class, () -> DesignPointCodec.read("{\"prune\": {\"granularity\": \"rows\","
                + " \"params\": {\"foo\": 7}, \"sparsity\": 0.5}}", "p.json").canonical()).getMessage();
        assertTrue(e.contains("'foo'"), e);
        e = assertThrows(ModelException.class, () -> DesignPointCodec.read("{\"hardware\": {\"strategy\": \"fast\"}}",
                "p.json").canonical()).getMessage();
        assertTrue(e.startsWith("hardware.strategy"), e);
        e = assertThrows(ModelException.class, () -> DesignPointCodec.read("{\"prune\": 1} trailing", "p.json"))
                .getMessage();
        assertTrue(e.contains("p.json"), e);
        for (String msg : List.of(e)) {
            assertTrue(!msg.contains("Exception") && !msg.contains("com.fasterxml"), msg);
        }
    }

    @Test
    void versionOneIsMigrated() {
        DesignPoint p = DesignPointCodec.read("{\"name\": \"old\", \"prune\": {\"granularity\": \"dsp-pattern\","
                + " \"params\": {\"rf\": 4}, \"selection\": \"knapsack\", \"budgets\": {\"DSP\": 0.5},"
                + " \"relativeBudgets\": true}, \"layers\": {\"fc1\": {\"granularity\": \"bram-block\","
                + " \"params\": {\"rf\": 8, \"bits\": 18}}}}", "old.json");
        assertEquals(DesignPoint.VERSION, p.version());
        assertEquals(4, p.hardware().reuseFactor());
        assertEquals(Map.of(), p.prune().params());
        assertEquals("unpruned", p.prune().budgetBasis());
        assertEquals(8, p.layers().get("fc1").reuseFactor());
        assertEquals(Map.of(), p.layers().get("fc1").params());
        DesignPoint abs = DesignPointCodec.read("{\"prune\": {\"selection\": \"knapsack\","
                + " \"budgets\": {\"params\": 100}}}", "old.json");
        assertEquals("absolute", abs.prune().budgetBasis());
    }

    @Test
    void writesHlsSpellingsAndSortedKeys() {
        DesignPoint p = DesignPoint.of(PruneSpec.magnitude(0.5, true)).withQuantizers(
                QuantizerSpec.fixed(new FixedPoint(6, 0, false, FixedPoint.Rounding.CONVERGENT,
                        FixedPoint.Overflow.SATURATE)), null, null);
        String json = DesignPointCodec.write(p);
        assertTrue(json.contains("\"hls\" : \"ap_ufixed<6,0,AP_RND_CONV,AP_SAT>\""), json);
        assertEquals(json, DesignPointCodec.write(DesignPointCodec.read(json, "p")));
    }
}
