package dev.sparsimony.engine.infer.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.infer.Nd4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SgemmTest {
    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.ensureInitialized();
    }

    @Test
    void directCallMatchesNd4jOnViewsWithOffsets() {
        Nd4j.getRandom().setSeed(5);
        // row blocks of larger arrays: views whose first element is not at the buffer's start
        INDArray bigA = Nd4j.rand(DataType.FLOAT, 10, 7);
        INDArray bigC = Nd4j.zeros(DataType.FLOAT, 10, 3);
        INDArray a = bigA.get(NDArrayIndex.interval(4, 9), NDArrayIndex.all());
        INDArray c = bigC.get(NDArrayIndex.interval(4, 9), NDArrayIndex.all());
        INDArray b = Nd4j.rand(DataType.FLOAT, 7, 3);
        c.assign(1f);
        new Sgemm(a, b, c).run(1f);
        INDArray expected = a.mmul(b).addi(1f);
        assertArrayEquals(expected.data().asFloat(), c.dup().data().asFloat(), 1e-5f);
        new Sgemm(a, b, c).run(0f);
        assertArrayEquals(a.mmul(b).data().asFloat(), c.dup().data().asFloat(), 1e-5f);
        // rows outside the view are untouched
        assertArrayEquals(new float[3], bigC.getRow(0).dup().data().asFloat());
    }

    @Test
    void emptyInnerDimensionScalesC() {
        INDArray a = Nd4j.create(DataType.FLOAT, 2, 0);
        INDArray b = Nd4j.create(DataType.FLOAT, 0, 2);
        INDArray c = Nd4j.ones(DataType.FLOAT, 2, 2);
        new Sgemm(a, b, c).run(0f);
        assertArrayEquals(new float[4], c.data().asFloat());
    }

    @Test
    void finiteAndBelowCheck() {
        INDArray x = Nd4j.createFromArray(0.5f, -3f, 2f, 0f);
        assertTrue(NdUtil.allFiniteBelow(x, 3.5f));
        assertFalse(NdUtil.allFiniteBelow(x, 3f)); // |-3| is not below 3
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f}) {
            INDArray y = Nd4j.createFromArray(0.5f, bad, 2f, 0f);
            assertFalse(NdUtil.allFiniteBelow(y, 3.5f), "value " + bad);
        }
        // a view with an offset sees only its own values
        INDArray big = Nd4j.createFromArray(100f, 1f, 2f, -100f);
        assertTrue(NdUtil.allFiniteBelow(big.get(NDArrayIndex.interval(1, 3)), 3f));
    }
}
