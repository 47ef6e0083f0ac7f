package dev.sparsimony.engine.infer;

import static dev.sparsimony.engine.infer.TestModels.assertClose;
import static dev.sparsimony.engine.infer.TestModels.assertShape;
import static dev.sparsimony.engine.infer.TestModels.chain;
import static dev.sparsimony.engine.infer.TestModels.run;
import static dev.sparsimony.engine.infer.TestModels.s;
import static dev.sparsimony.engine.infer.TestModels.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceCoreTest {
    /** W = [[1,2,3],[4,5,6]] (2x3), b = [0.5, -1, 2]. */
    static Ops.Dense dense2x3() {
        return new Ops.Dense(t(s(2, 3), 1, 2, 3, 4, 5, 6), t(s(3), 0.5f, -1, 2));
    }

    @Test
    void denseHandComputed() {
        Tensor y = run(chain(s(-1, 2), dense2x3()), t(s(2, 2), 1, 1, 2, -1));
        // [1,1]: [1+4+0.5, 2+5-1, 3+6+2] ; [2,-1]: [2-4+0.5, 4-5-1, 6-6+2]
        assertShape(s(2, 3), y);
        assertClose(new float[] {5.5f, 6, 11, -1.5f, -2, 2}, y.data(), 1e-6f);
    }

    @Test
    void denseOnLastAxisOfRank3() {
        Tensor y = run(chain(s(-1, 2, 2), dense2x3()), t(s(1, 2, 2), 1, 1, 2, -1));
        assertShape(s(1, 2, 3), y);
        assertClose(new float[] {5.5f, 6, 11, -1.5f, -2, 2}, y.data(), 1e-6f);
    }

    @Test
    void denseWithoutBias() {
        Tensor y = run(chain(s(-1, 2), new Ops.Dense(t(s(2, 1), 2, 3), null)), t(s(1, 2), 1, 10));
        assertClose(new float[] {32}, y.data(), 0);
    }

    @Test
    void reluSoftmaxChain() {
        Model m = chain(s(-1, 2), dense2x3(), Ops.Activation.of(ActivationKind.RELU), new Ops.Softmax(-1, false));
        Tensor y = run(m, t(s(1, 2), 2, -1));
        // dense -> [-1.5, -2, 2] -> relu [0, 0, 2] -> softmax
        double e2 = Math.exp(2);
        float a = (float) (1 / (2 + e2));
        assertClose(new float[] {a, a, (float) (e2 / (2 + e2))}, y.data(), 1e-6f);
    }

    @Test
    void flattenReshapesWithoutChangingOrder() {
        Model m = chain(s(-1, 2, 2), new Ops.Flatten(1));
        Tensor y = run(m, t(s(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8));
        assertShape(s(2, 4), y);
        assertClose(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, y.data(), 0);
    }

    @Test
    void twoBranchDagAddsBothPaths() {
        Ops.Dense d1 = new Ops.Dense(t(s(2, 2), 1, 0, 0, 1), null); // identity
        Ops.Dense d2 = new Ops.Dense(t(s(2, 2), 2, 0, 0, 2), t(s(2), 1, 1)); // 2x + 1
        List<Node> nodes = List.of(
                new Node("a", d1, List.of("x")),
                new Node("r", Ops.Activation.of(ActivationKind.RELU), List.of("a")),
                new Node("b", d2, List.of("x")),
                new Node("sum", new Ops.Binary(Ops.BinaryKind.ADD), List.of("r", "b")));
        Model m = new Model("dag", List.of(new ValueInfo("x", s(-1, 2))), nodes, List.of("sum", "a"));
        Map<String, Tensor> out = Inference.run(m, Map.of("x", t(s(1, 2), -1, 3)));
        // relu(x) = [0, 3]; 2x+1 = [-1, 7]; sum = [-1, 10]; "a" (also an output) must be untouched by ReLU
        assertClose(new float[] {-1, 10}, out.get("sum").data(), 0);
        assertClose(new float[] {-1, 3}, out.get("a").data(), 0);
    }

    @Test
    void predictReshapesFlatDataToModelInput() {
        Model m = chain(s(-1, 1, 2, 2), new Ops.Flatten(1), new Ops.Dense(t(s(4, 1), 1, 1, 1, 1), null));
        Tensor y = Inference.predict(m, t(s(2, 4), 1, 2, 3, 4, 5, 6, 7, 8));
        assertShape(s(2, 1), y);
        assertClose(new float[] {10, 26}, y.data(), 0);
    }

    @Test
    void predictRejectsWrongWidthWithUsefulMessage() {
        Model m = chain(s(-1, 1, 28, 28), new Ops.Flatten(1));
        ModelException e = assertThrows(ModelException.class,
                () -> Inference.predict(m, Tensor.zeros(3, 780)));
        assertEquals("data has 780 values per sample but model input 'x' expects shape [1, 28, 28] (784 values)",
                e.getMessage());
    }

    @Test
    void predictProcessesManySamplesInChunks() {
        int n = Inference.CHUNK * 2 + 37;
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 1;
        }
        Model m = chain(s(-1, 2), new Ops.Dense(t(s(2, 1), 1, 1000), null));
        Tensor y = Inference.predict(m, t(s(n, 2), x));
        assertShape(s(n, 1), y);
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1000f, y.data()[i], 0f);
        }
    }

    @Test
    void nanAndInfPropagateWithoutThrowing() {
        Ops.Dense d = new Ops.Dense(t(s(2, 2), Float.NaN, 1, 1, 1), null);
        Model m = chain(s(-1, 2), d, Ops.Activation.of(ActivationKind.RELU), new Ops.Softmax(-1, false));
        Tensor y = run(m, t(s(1, 2), 1, Float.POSITIVE_INFINITY));
        assertEquals(2, y.size());
        assertTrue(Float.isNaN(y.data()[0]) || Float.isNaN(y.data()[1]));
    }

    @Test
    void missingInputIsAModelException() {
        Model m = chain(s(-1, 2), dense2x3());
        assertThrows(ModelException.class, () -> Inference.run(m, Map.of()));
    }

    @Test
    void chunkShrinksForLargeFeatureMaps() {
        Ops.Conv big = new Ops.Conv(Tensor.zeros(3, 3, 64, 64), null, s(1, 1), s(1, 1), s(1, 1), s(1, 1), 1,
                dev.sparsimony.engine.model.Layout.CHANNELS_LAST);
        Model m = chain(s(-1, 224, 224, 64), big);
        int chunk = Inference.chunkFor(m);
        assertTrue(chunk >= 1 && chunk < 16, "chunk " + chunk);
        assertEquals(Inference.CHUNK, Inference.chunkFor(chain(s(-1, 16), new Ops.Dense(Tensor.zeros(16, 3), null))));
    }

    @Test
    void kernelsCanBeReplacedThroughTheRegistry() {
        OpKernel<?> original = Kernels.forOp(new Ops.Identity());
        try {
            Kernels.register(new OpKernel<Ops.Identity>() {
                @Override
                public Class<Ops.Identity> opType() {
                    return Ops.Identity.class;
                }

                @Override
                public Step prepare(Ops.Identity op, Context ctx) {
                    return () -> ctx.output().assign(ctx.input(0)).muli(2);
                }
            });
            assertClose(new float[] {2, 4}, run(chain(s(-1, 2), new Ops.Identity()), t(s(1, 2), 1, 2)).data(), 0);
        } finally {
            Kernels.register(original);
        }
        assertClose(new float[] {1, 2}, run(chain(s(-1, 2), new Ops.Identity()), t(s(1, 2), 1, 2)).data(), 0);
    }
}
