package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GranularityTest {
    private static final Model MLP = CompressFixtures.mlp(3, 12, 24, 10);
    private static final Model CNN = CompressFixtures.cnn(4, 8, 3, 6, 4, 3);

    static List<Granularity> wholeStructure() {
        return List.of(new Unstructured(), new Rows(), new Columns("columns"), new Columns("filters"),
                new Channels(), new Blocks(2, 3), new Blocks(2, 2), new DspPattern(), new Blocks(3, 1),
                new BramBlock(), new Blocks(4, 1));
    }

    @Property(tries = 60)
    void wholeStructureGranularitiesReachSparsityWithinOneStructure(@ForAll @DoubleRange(min = 0, max = 1) double s,
                                                                    @ForAll @IntRange(min = 0, max = 10) int gi,
                                                                    @ForAll @IntRange(min = 0, max = 4) int li) {
        Granularity g = wholeStructure().get(gi);
        List<Node> layers = new java.util.ArrayList<>(MLP.prunableNodes());
        layers.addAll(CNN.prunableNodes());
        Node layer = layers.get(li);
        Model model = li < 2 ? MLP : CNN;
        LayerContext ctx = LayerContext.of(model, layer).withSparsity(s).withHardware(12, 3);
        StructureMap map = g.structures(layer, ctx);
        boolean[] keep = g.mask(layer, ctx, Importances.create("l2"));
        int max = 0;
        for (int sz : map.sizes()) {
            max = Math.max(max, sz);
        }
        int pruned = (int) Math.round(Pruning.sparsity(keep) * keep.length);
        assertTrue(Math.abs(pruned - Pruning.pruneCount(keep.length, s)) <= max,
                g.id() + " pruned " + pruned + " of " + keep.length + " for " + s);
        assertWholeStructures(map, keep);
    }

    static void assertWholeStructures(StructureMap map, boolean[] keep) {
        Boolean[] state = new Boolean[map.count()];
        int[] of = map.structureOf();
        for (int i = 0; i < keep.length; i++) {
            if (of[i] < 0) {
                continue;
            }
            if (state[of[i]] == null) {
                state[of[i]] = keep[i];
            }
            assertEquals(state[of[i]], keep[i], "structure " + of[i] + " is partly pruned in " + map.granularity());
        }
    }

    @Property(tries = 40)
    void nOfMKeepsExactlyNPerGroup(@ForAll @IntRange(min = 2, max = 8) int m, @ForAll @IntRange(min = 0, max = 7) int n0) {
        int n = n0 % m;
        Node layer = MLP.prunableNodes().get(0); // 12 x 24
        Granularity g = new NofM(n, m);
        boolean[] keep = g.mask(layer, LayerContext.of(MLP, layer), Importances.create("l1"));
        StructureMap map = g.structures(layer, LayerContext.of(MLP, layer));
        int[] kept = new int[map.count()];
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                kept[map.structureOf()[i]]++;
            }
        }
        int[] sizes = map.sizes();
        for (int s = 0; s < kept.length; s++) {
            assertEquals(Math.min(n, sizes[s]), kept[s]);
            assertTrue(sizes[s] <= m);
        }
        // groups run along the input dimension: all members of a group share a column
        for (int i = 0; i < keep.length; i++) {
            for (int j = 0; j < keep.length; j++) {
                if (map.structureOf()[i] == map.structureOf()[j]) {
                    assertEquals(i % 24, j % 24);
                }
            }
        }
    }

    @Test
    void twoOfFourKeepsTheLargest() {
        Node d = new Node("d", new Ops.Dense(Tensor.of(new float[] {0.1f, -5f, 3f, 0.2f, 1f, 1f, -2f, 0f}, 8, 1), null),
                List.of("x"));
        boolean[] keep = new NofM(2, 4).mask(d, new LayerContext(null, null, 0.5, 16, 1), Importances.create("l1"));
        assertArrayEquals(new boolean[] {false, true, true, false, true, false, true, false}, keep);
    }

    @Property(tries = 30)
    void darbHitsTheTargetExactlyWithOnePerBlock(@ForAll @DoubleRange(min = 0, max = 1) double s) {
        Node layer = MLP.prunableNodes().get(0);
        LayerContext ctx = LayerContext.of(MLP, layer).withSparsity(s);
        Darb g = new Darb();
        boolean[] keep = g.mask(layer, ctx, Importances.create("l1"));
        assertEquals(Pruning.pruneCount(keep.length, s), Math.round(Pruning.sparsity(keep) * keep.length));
        StructureMap map = g.structures(layer, ctx);
        int[] kept = new int[map.count()];
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                kept[map.structureOf()[i]]++;
            }
        }
        for (int k : kept) {
            assertTrue(k <= 1);
        }
    }

    @Test
    void dspPatternFollowsResourceStrategyIndexing() {
        Node d = new Node("d", new Ops.Dense(Tensor.zeros(3, 2), null), List.of("x"));
        StructureMap map = new DspPattern().structures(d, new LayerContext(null, null, 0.5, 16, 2));
        // transposed flat index t = c*rows + r; pattern = t / RF
        assertArrayEquals(new int[] {0, 1, 0, 2, 1, 2}, map.structureOf());
        assertEquals(3, map.count());
        StructureMap bram = new BramBlock().structures(d, new LayerContext(null, null, 0.5, 18, 2));
        assertArrayEquals(new int[] {0, 0, 0, 1, 0, 1}, bram.structureOf());
        assertEquals(5, BramBlock.consecutivePatterns(16));
        assertEquals(2, BramBlock.consecutivePatterns(18));
        assertEquals(3, BramBlock.consecutivePatterns(12));
        assertEquals(9, BramBlock.consecutivePatterns(8));
    }

    @Test
    void channelsAndFiltersOfConvolutions() {
        Node conv = CNN.node("conv2"); // 3x3x6 -> 4
        StructureMap ch = new Channels().structures(conv, LayerContext.of(CNN, conv));
        assertEquals(6, ch.count());
        for (int sz : ch.sizes()) {
            assertEquals(9 * 4, sz);
        }
        StructureMap f = Granularities.create("filters", Map.of()).structures(conv, LayerContext.of(CNN, conv));
        assertEquals(4, f.count());
        // bn-gamma importance of conv1 filters = |gamma|
        Node conv1 = CNN.node("conv1");
        StructureMap f1 = new Columns("filters").structures(conv1, LayerContext.of(CNN, conv1));
        double[] sc = Importances.create("bn-gamma").scores(conv1, KernelView.of(conv1).data(), f1,
                LayerContext.of(CNN, conv1));
        float[] gamma = ((Ops.BatchNorm) CNN.node("bn1").op()).gamma().data();
        for (int c = 0; c < gamma.length; c++) {
            assertEquals(Math.abs(gamma[c]), sc[c], 1e-6);
        }
    }

    @Test
    void costsCountParamsMacsAndBytes() {
        Node conv = CNN.node("conv2");
        LayerContext ctx = LayerContext.of(CNN, conv);
        StructureMap f = new Columns("filters").structures(conv, ctx);
        assertEquals(54.0, Costs.PARAMS.costs(conv, ctx.outputShape(), f)[0]);
        assertEquals(54.0 * 16, Costs.MACS.costs(conv, ctx.outputShape(), f)[0]); // 4x4 output positions
        assertEquals(54.0 * 2, Costs.bytes(16).costs(conv, ctx.outputShape(), f)[0]);
    }

    @Test
    void badParametersAreNamed() {
        Node layer = MLP.prunableNodes().get(1); // 24 x 10
        LayerContext ctx = LayerContext.of(MLP, layer);
        assertTrue(assertThrows(ModelException.class, () -> new NofM(4, 4)).getMessage().contains("N < M"));
        assertTrue(assertThrows(ModelException.class, () -> new Blocks(4, 11).structures(layer, ctx))
                .getMessage().contains("larger than"));
        assertTrue(assertThrows(ModelException.class, () -> Granularities.create("nope", Map.of()))
                .getMessage().contains("nope"));
        // declared parameters: unknown names and out-of-range values are refused by name
        String foo = assertThrows(ModelException.class, () -> Granularities.create("rows", Map.of("foo", 7.0)))
                .getMessage();
        assertTrue(foo.contains("'foo'") && foo.contains("takes none"), foo);
        String rows = assertThrows(ModelException.class, () -> Granularities.create("block",
                Map.of("rows", 3.0, "foo", 7.0))).getMessage();
        assertTrue(rows.contains("'foo'") && rows.contains("rows, cols"), rows);
        String range = assertThrows(ModelException.class, () -> Granularities.create("n-of-m",
                Map.of("m", 100.0))).getMessage();
        assertTrue(range.contains("'m'") && range.contains("[2, 64]"), range);
        String whole = assertThrows(ModelException.class, () -> Granularities.create("block",
                Map.of("rows", 2.5))).getMessage();
        assertTrue(whole.contains("whole number"), whole);
        assertEquals(Map.of("n", 2.0, "m", 4.0), Granularities.complete("n-of-m", Map.of()));
        assertEquals(List.of("rows", "cols"), Granularities.params("block").stream()
                .map(GranularityParam::name).toList());
        assertThrows(ModelException.class, () -> ctx.withSparsity(-0.1));
    }
}
