package dev.sparsimony.engine.io.keras;

import static dev.sparsimony.engine.io.keras.KerasModelBuilderTest.build;
import static dev.sparsimony.engine.io.keras.KerasModelBuilderTest.parse;
import static dev.sparsimony.engine.io.keras.KerasModelBuilderTest.sequential;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Quantization;
import dev.sparsimony.engine.model.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * QKeras layers and quantizers against values worked out by hand from the quantizer definitions in QKeras's source
 * (qkeras/quantizers.py, github.com/google/qkeras): each expected value is derived in the comment beside it.
 */
class QKerasImportTest {
    static float[] fold(String quantizer, float[] w, int... shape) {
        QKerasQuantizer q = QKerasQuantizer.parse(parse(quantizer), "test");
        return q.fold(Tensor.of(w, shape), false, "test").values().data();
    }

    static float[] foldString(String quantizer, float[] w, int... shape) {
        return QKerasQuantizer.parseString(quantizer, "test").fold(Tensor.of(w, shape), false, "test").values().data();
    }

    @Test
    void quantizedBits() {
        // bits 4, integer 0, keep_negative: m = 2^3 = 8, m_i = 1; xq = clip(round(8x), -8, 7) / 8, round half even
        // 0.3 -> 2.4 -> 2 -> 0.25; 0.0625 -> 0.5 -> 0; 0.1875 -> 1.5 -> 2 -> 0.25; 0.95 -> 7.6 -> 8 -> 7 -> 0.875;
        // -1.2 -> -9.6 -> -10 -> -8 -> -1
        float[] x = {0.3f, -0.3f, 0.0625f, 0.1875f, 0.95f, -1.2f};
        String q = "{'class_name': 'quantized_bits', 'config': {'bits': 4, 'integer': 0, 'symmetric': 0,"
                + " 'alpha': 1, 'keep_negative': true}}";
        assertArrayEquals(new float[] {0.25f, -0.25f, 0f, 0.25f, 0.875f, -1f}, fold(q, x, 6));
        // symmetric: the lower clip is -m + 1 = -7 -> -0.875; the string form reads positional arguments
        assertArrayEquals(new float[] {0.25f, -0.25f, 0f, 0.25f, 0.875f, -0.875f},
                foldString("quantized_bits(4, 0, 1)", x, 6));
        // integer 1: m_i = 2, xq = 2 clip(round(4x), -8, 7) / 8: 0.3 -> 1.2 -> 1 -> 0.25; 1.9 -> 7.6 -> 8 -> 7 -> 1.75
        assertArrayEquals(new float[] {0.25f, 1.75f}, foldString("quantized_bits(4,1,alpha=1)",
                new float[] {0.3f, 1.9f}, 2));
        // keep_negative false: m = 2^4, clip to [0, 15]: -0.3 -> 0, 0.3 -> 4.8 -> 5 -> 0.3125
        assertArrayEquals(new float[] {0f, 0.3125f}, foldString("quantized_bits(4,0,keep_negative=False)",
                new float[] {-0.3f, 0.3f}, 2));
    }

    @Test
    void quantizedBitsAutoPo2() {
        // bits 4, alpha auto_po2, one channel: levels = (2^3 - 1) * 2 = 14; scale = 2 * 0.5 / 14 = 0.0714 ->
        // 2^round(log2 0.0714 = -3.81) = 2^-4 = 0.0625; z = sign * min(floor(|x| / 0.0625 + 0.5), 7) = [7, -3];
        // least squares: mean(x z) / mean(z z) = 2.05 / 29 = 0.0707 -> 2^-4 again (5 rounds); xq = 0.0625 z
        float[] w = fold("{'class_name': 'quantized_bits', 'config': {'bits': 4, 'integer': 0, 'alpha': 'auto_po2'}}",
                new float[] {0.5f, -0.2f}, 2, 1);
        assertArrayEquals(new float[] {0.4375f, -0.1875f}, w);
    }

    @Test
    void quantizedReluAndPo2() {
        // quantized_relu(3, 1): m = 8, m_i = 2, xq = 2 clip(round(4x) / 8, 0, 7/8): -1 -> 0; 0.3 -> 1.2 -> 0.25;
        // 0.375 -> 1.5 -> 2 -> 0.5; 0.625 -> 2.5 -> 2 -> 0.5 (half to even); 5 -> 20 -> clip 7/8 -> 1.75
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.5f, 1.75f}, foldString("quantized_relu(3,1)",
                new float[] {-1f, 0.3f, 0.375f, 0.625f, 5f}, 5));
        // quantized_po2(4): exponent bits 4 - 1 (sign of x) - 1 (sign of exponent) = 2 -> exponents -4..3;
        // 0.3 -> 2^round(-1.74) = 0.25; -0.7 -> -2^round(-0.51) = -0.5; 0 -> +2^-4 (below eps: the smallest power,
        // sign 0 counts as +); 20 -> 2^min(4, 3) = 8; 0.01 -> 2^max(-7, -4) = 0.0625
        assertArrayEquals(new float[] {0.25f, -0.5f, 0.0625f, 8f, 0.0625f}, foldString("quantized_po2(4)",
                new float[] {0.3f, -0.7f, 0f, 20f, 0.01f}, 5));
        // quantized_relu_po2(4): no sign of x: exponents -8..7; negative inputs become relu 0 -> 2^-8
        assertArrayEquals(new float[] {0.25f, 0.00390625f}, foldString("quantized_relu_po2(4)",
                new float[] {0.3f, -0.5f}, 2));
    }

    @Test
    void binaryAndTernary() {
        // binary: sign, 0 -> +1
        assertArrayEquals(new float[] {1f, -1f, 1f}, foldString("binary()", new float[] {0.3f, -0.2f, 0f}, 3));
        // alpha auto, per output channel (last axis): scale = mean(x q) / mean(q q) = mean |x|:
        // column 0 [0.5, -0.3] -> 0.4, column 1 [-1, 2] -> 1.5
        assertArrayEquals(new float[] {0.4f, -1.5f, -0.4f, 1.5f},
                foldString("binary(alpha='auto')", new float[] {0.5f, -1f, -0.3f, 2f}, 2, 2), 1e-6f);
        // ternary: threshold 0.33 by default: |x| >= 0.33 -> sign(x), else 0
        assertArrayEquals(new float[] {1f, -1f, 0f, -1f}, foldString("ternary()",
                new float[] {0.5f, -0.33f, 0.2f, -0.9f}, 4));
        assertArrayEquals(new float[] {0.5f, 0f}, foldString("ternary(alpha=0.5, threshold=0.1)",
                new float[] {0.2f, 0.05f}, 2));
    }

    @Test
    void qdenseWithQuantizersIsImportedWithItsPrecisionRecorded() {
        String q4 = "{'class_name': 'quantized_bits', 'config': {'bits': 4, 'integer': 0, 'alpha': 1,"
                + " 'keep_negative': true, 'symmetric': 0}}";
        Model m = build(sequential("2",
                "{'class_name': 'QDense', 'config': {'name': 'fc', 'units': 2, 'activation': 'linear', 'use_bias': true,"
                        + " 'kernel_quantizer': " + q4 + ", 'bias_quantizer': " + q4 + "}}",
                "{'class_name': 'QActivation', 'config': {'name': 'relu1', 'activation':"
                        + " {'class_name': 'quantized_relu', 'config': {'bits': 3, 'integer': 1}}}}"),
                new MapWeights().put("fc", "kernel", Tensor.of(new float[] {0.3f, -0.3f, 0.95f, 0.1875f}, 2, 2))
                        .put("fc", "bias", Tensor.of(new float[] {0.06f, 0.2f}, 2)));
        // kernel on the grid: [[0.25, -0.25], [0.875, 0.25]]; bias 0.06 -> 0.48 -> 0, 0.2 -> 1.6 -> 0.25
        Ops.Dense d = (Ops.Dense) m.node("fc").op();
        assertArrayEquals(new float[] {0.25f, -0.25f, 0.875f, 0.25f}, d.kernel().data());
        assertArrayEquals(new float[] {0f, 0.25f}, d.bias().data());
        QuantOps.Quant relu = assertInstanceOf(QuantOps.Quant.class, m.node("relu1").op());
        assertEquals(3, relu.bits());
        // x = [1, 1]: fc = [1.125, 0.25]; quantized_relu(3,1) -> 1.125 -> 4.5 -> 4 (half even) -> 1.0; 0.25 -> 0.25
        Tensor out = Inference.run(m, Map.of("in", Tensor.of(new float[] {1f, 1f}, 1, 2))).get("relu1");
        assertArrayEquals(new float[] {1.0f, 0.25f}, out.data());
        List<Quantization> quant = Quantization.of(m);
        Quantization k = quant.stream().filter(x -> x.tensor().equals("kernel")).findFirst().orElseThrow();
        assertEquals(new Quantization("fc", "kernel", 4, true, false, "per-tensor", 1, "fixed"), k);
        assertEquals("bits=4,signed=true,narrow=false,scale=per-tensor,integer=1,kind=fixed",
                m.metadata().get("quant.kernel.fc"));
        assertTrue(quant.stream().anyMatch(x -> x.layer().equals("relu1") && x.tensor().equals("output")));
    }

    @Test
    void qconvQbatchnormAndActivationQuantizerOnALayer() {
        Model m = build(sequential("3, 1",
                "{'class_name': 'QConv1D', 'config': {'name': 'c', 'filters': 1, 'kernel_size': [2], 'use_bias': false,"
                        + " 'activation': 'quantized_relu(4,0)', 'kernel_quantizer': 'quantized_po2(4)'}}",
                "{'class_name': 'QBatchNormalization', 'config': {'name': 'bn', 'axis': -1, 'epsilon': 0.0,"
                        + " 'gamma_quantizer': 'quantized_relu_po2(4)', 'beta_quantizer': 'quantized_po2(4)',"
                        + " 'mean_quantizer': null, 'variance_quantizer': null}}"),
                new MapWeights().put("c", "kernel", Tensor.of(new float[] {0.3f, -0.7f}, 2, 1, 1))
                        .put("bn", "gamma", Tensor.of(new float[] {0.9f}, 1))
                        .put("bn", "beta", Tensor.of(new float[] {0.3f}, 1))
                        .put("bn", "moving_mean", Tensor.of(new float[] {0f}, 1))
                        .put("bn", "moving_variance", Tensor.of(new float[] {1f}, 1)));
        // kernel po2: [0.25, -0.5]; the relu quantizer splits off as hls4ml does: c_quantized_relu
        assertArrayEquals(new float[] {0.25f, -0.5f}, ((Ops.Conv) m.node("c").op()).kernel().data());
        assertInstanceOf(QuantOps.Quant.class, m.node("c_quantized_relu").op());
        // gamma relu_po2(4): 0.9 -> 2^round(-0.15) = 1; beta po2(4): 0.3 -> 0.25
        Ops.BatchNorm bn = (Ops.BatchNorm) m.node("bn").op();
        assertArrayEquals(new float[] {1f}, bn.gamma().data());
        assertArrayEquals(new float[] {0.25f}, bn.beta().data());
    }

    @Test
    void unsupportedQuantizersAreOneLineErrors() {
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("2",
                "{'class_name': 'QDense', 'config': {'name': 'fc', 'units': 1, 'use_bias': false,"
                        + " 'kernel_quantizer': 'quantized_tanh(4)'}}"),
                new MapWeights().put("fc", "kernel", Tensor.of(new float[] {1f, 1f}, 2, 1))));
        assertEquals("m.json: layer 'fc' (QDense) kernel_quantizer: QKeras quantizer 'quantized_tanh' is not supported;"
                + " supported: quantized_bits, quantized_relu, quantized_po2, quantized_relu_po2, binary,"
                + " stochastic_binary, ternary, stochastic_ternary", e.getMessage());
        ModelException t = assertThrows(ModelException.class, () -> build(sequential("2",
                "{'class_name': 'QActivation', 'config': {'name': 'a', 'activation': 'ternary()'}}"),
                new MapWeights()));
        assertTrue(t.getMessage().contains("layer 'a' (QActivation): ternary is not supported as an activation"),
                t.getMessage());
    }
}
