package dev.sparsimony.engine.transform;

import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DepthShrinkerTest {
    static float[] dense(float[] x, Ops.Dense d) {
        int a = d.nIn();
        int c = d.nOut();
        float[] y = new float[c];
        for (int j = 0; j < c; j++) {
            double s = d.bias() == null ? 0 : d.bias().data()[j];
            for (int i = 0; i < a; i++) {
                s += (double) x[i] * d.kernel().data()[i * c + j];
            }
            y[j] = (float) s;
        }
        return y;
    }

    @Test
    void mergeEqualsTheUnmergedLinearPair() {
        Model m = CompressFixtures.mlp(5, 16, 64, 32, 5);
        assertEquals(List.of(new DepthShrinker.Pair("dense1", "relu1", "dense2"),
                new DepthShrinker.Pair("dense2", "relu2", "dense3")), DepthShrinker.pairs(m));
        Model merged = DepthShrinker.merge(m, "dense1");
        assertFalse(merged.hasNode("dense1"));
        assertFalse(merged.hasNode("relu1"));
        assertEquals(List.of("x"), merged.node("dense2").inputs());
        Ops.Dense d1 = (Ops.Dense) m.node("dense1").op();
        Ops.Dense d2 = (Ops.Dense) m.node("dense2").op();
        Ops.Dense d = (Ops.Dense) merged.node("dense2").op();
        Random r = new Random(1);
        for (int t = 0; t < 20; t++) {
            float[] x = new float[16];
            for (int i = 0; i < 16; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] expected = dense(dense(x, d1), d2); // the pair without its activation
            float[] got = dense(x, d);
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], got[j], 1e-4 * (1 + Math.abs(expected[j])));
            }
        }
        Model both = DepthShrinker.merge(m, List.of("dense1", "dense2"));
        assertEquals(1, both.prunableNodes().size());
        assertEquals(List.of("dense3"), both.outputs());
    }

    @Test
    void rejectsLayersWithoutAPair() {
        Model m = CompressFixtures.mlp(5, 16, 8, 5);
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "dense2"));
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "relu1"));
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "nope"));
    }

    // ------------------------------------------------------------------ inverted residual blocks

    /** Settings of a random block: see {@link #block}. */
    record Cfg(boolean oneD, int cin, int m, int k, int stride, boolean same, boolean skip, int cout, int dil,
               Layout layout, int size, boolean bn1, boolean bn2, boolean bn3) {
        static Cfg random(Random r) {
            int stride = r.nextInt(3) == 0 ? 2 : 1;
            boolean skip = stride == 1 && r.nextBoolean();
            int cin = 1 + r.nextInt(5);
            int k = new int[] {1, 3, 5}[r.nextInt(3)];
            int dil = r.nextInt(4) == 0 ? 2 : 1;
            return new Cfg(r.nextInt(4) == 0, cin, 1 + r.nextInt(12), k, stride, skip || r.nextBoolean(), skip,
                    skip ? cin : 1 + r.nextInt(6), dil, r.nextBoolean() ? Layout.CHANNELS_FIRST : Layout.CHANNELS_LAST,
                    (k - 1) * dil + 2 + r.nextInt(6), r.nextBoolean(), r.nextBoolean(), r.nextBoolean());
        }

        int[] axis(int v) {
            return oneD ? new int[] {v} : new int[] {v, v};
        }

        int[] kernel(int kk, int in, int out) {
            return oneD ? new int[] {kk, in, out} : new int[] {kk, kk, in, out};
        }

        int[] input(int batch) {
            if (oneD) {
                return layout == Layout.CHANNELS_LAST ? new int[] {batch, size, cin} : new int[] {batch, cin, size};
            }
            return layout == Layout.CHANNELS_LAST ? new int[] {batch, size, size + 1, cin}
                    : new int[] {batch, cin, size, size + 1};
        }
    }

    /**
     * x → expand → [bn1] → [relu6] → depthwise → [bn2] → [relu6] → project → [bn3] → [+ x] → relu ("after", outside
     * the block); weights drawn from {@code r} in the same order with or without the activations.
     */
    static Model block(Random r, boolean withActivations, Cfg c) {
        int pad = c.same() ? (c.k() - 1) * c.dil() : 0;
        List<Node> nodes = new ArrayList<>();
        List<Object[]> seq = new ArrayList<>();
        seq.add(new Object[] {"expand", new Ops.Conv(rnd(r, c.kernel(1, c.cin(), c.m())),
                r.nextBoolean() ? rnd(r, c.m()) : null, c.axis(1), c.axis(1), c.axis(0), c.axis(0), 1, c.layout())});
        if (c.bn1()) {
            seq.add(new Object[] {"bn1", bn(r, c.m(), c.layout())});
        }
        if (withActivations) {
            seq.add(new Object[] {"relu6a", new Ops.Activation(ActivationKind.CLIP, 0f, 6f)});
        }
        seq.add(new Object[] {"dw", new Ops.Conv(rnd(r, c.kernel(c.k(), 1, c.m())), r.nextBoolean() ? rnd(r, c.m()) : null,
                c.axis(c.stride()), c.axis(c.dil()), c.axis(pad / 2), c.axis(pad - pad / 2), c.m(), c.layout())});
        if (c.bn2()) {
            seq.add(new Object[] {"bn2", bn(r, c.m(), c.layout())});
        }
        if (withActivations) {
            seq.add(new Object[] {"relu6b", new Ops.Activation(ActivationKind.CLIP, 0f, 6f)});
        }
        seq.add(new Object[] {"project", new Ops.Conv(rnd(r, c.kernel(1, c.m(), c.cout())),
                r.nextBoolean() ? rnd(r, c.cout()) : null, c.axis(1), c.axis(1), c.axis(0), c.axis(0), 1, c.layout())});
        if (c.bn3()) {
            seq.add(new Object[] {"bn3", bn(r, c.cout(), c.layout())});
        }
        String prev = "x";
        for (Object[] o : seq) {
            nodes.add(new Node((String) o[0], (Op) o[1], List.of(prev)));
            prev = (String) o[0];
        }
        if (c.skip()) {
            nodes.add(new Node("add", new Ops.Binary(Ops.BinaryKind.ADD), List.of("x", prev)));
            prev = "add";
        }
        nodes.add(new Node("after", Ops.Activation.of(ActivationKind.RELU), List.of(prev)));
        return new Model("block", List.of(new ValueInfo("x", c.input(-1))), nodes, List.of("after"));
    }

    private static Tensor rnd(Random r, int... shape) {
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * 0.5f;
        }
        return Tensor.of(v, shape);
    }

    private static Ops.BatchNorm bn(Random r, int c, Layout layout) {
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = 0.3f + r.nextFloat();
        }
        return new Ops.BatchNorm(rnd(r, c), rnd(r, c), rnd(r, c), Tensor.of(var, c), 1e-3f, layout);
    }

    private static float[] run(Model m, Cfg c, float[] x) {
        Tensor in = Tensor.of(x, c.input(3));
        return Inference.run(m, Map.of("x", in)).get(m.outputs().get(0)).data();
    }

    private static void assertSame(float[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-4 * (1 + Math.abs(expected[i])), what + " @" + i);
        }
    }

    @Property(tries = 150)
    void mergedBlocksComputeWhatTheActivationFreeBlockComputes(@ForAll long seed) {
        Random r = new Random(seed);
        Cfg c = Cfg.random(r);
        Model withAct = block(new Random(seed), true, c);
        assertEquals(List.of("expand"), DepthShrinker.candidates(withAct));
        Model merged = DepthShrinker.merge(withAct, "expand");
        Model free = DepthShrinker.activationFree(withAct, "expand");
        String last = c.skip() ? "add" : c.bn3() ? "bn3" : "project";
        assertEquals(List.of(last, "after"), merged.nodes().stream().map(Node::name).toList());
        int[] in = c.input(3);
        float[] x = new float[Math.toIntExact(Tensor.numel(in))];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] got = run(merged, c, x);
        assertSame(run(free, c, x), got, c.toString());
        // the activation-free model (what DepthShrinker fine-tunes) is itself a block, and merges to the same conv
        assertSame(got, run(DepthShrinker.merge(free, "expand"), c, x), c + " (merged after moving the padding)");
        if (!c.same()) {
            // no padding to move: the activation-free block is the original block without its activations
            assertSame(run(block(new Random(seed), false, c), c, x), got, c + " (no padding)");
        }
    }

    @Test
    void blocksAreFoundByTheirExpandConvAndOthersSayWhyNot() {
        Cfg c = new Cfg(false, 4, 8, 3, 1, true, true, 4, 1, Layout.CHANNELS_LAST, 8, true, true, true);
        Model m = block(new Random(3), true, c);
        assertEquals(1, DepthShrinker.blocks(m).size());
        assertEquals("add", DepthShrinker.blocks(m).get(0).last());
        ModelException e = assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "dw"));
        assertTrue(e.getMessage().contains("not a 1x1 conv"), e.getMessage());
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "project"));
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "nope"));
        // the expand conv's value read twice: no block
        List<Node> nodes = new ArrayList<>(m.nodes());
        nodes.add(new Node("extra", Ops.Activation.of(ActivationKind.RELU), List.of("expand")));
        Model two = m.withGraph(nodes, List.of("after", "extra"));
        assertTrue(DepthShrinker.blocks(two).isEmpty());
        assertThrows(ModelException.class, () -> DepthShrinker.merge(two, "expand"));
    }
}
