package dev.sparsimony.engine.io.keras;

import static dev.sparsimony.engine.io.keras.MapWeights.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IR built from hand-written Keras configs, checked against Keras/TensorFlow semantics by hand. */
class KerasModelBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sequential JSON from layer snippets written with single quotes. */
    static JsonNode sequential(String inputShape, String... layers) {
        StringBuilder sb = new StringBuilder("{'class_name': 'Sequential', 'keras_version': '2.13.1', 'config': "
                + "{'name': 'seq', 'layers': [{'class_name': 'InputLayer', 'config': {'name': 'in', "
                + "'batch_input_shape': [null, " + inputShape + "]}}");
        for (String l : layers) {
            sb.append(", ").append(l);
        }
        sb.append("]}}");
        return parse(sb.toString());
    }

    static JsonNode parse(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Model build(JsonNode arch, MapWeights w) {
        return KerasModelBuilder.build(arch, w, "m", "m.json + m_weights.h5");
    }

    @Test
    void denseSplitsItsActivationAndKeepsTheLayerName() {
        Model m = build(sequential("4",
                "{'class_name': 'Dense', 'config': {'name': 'fc', 'units': 3, 'activation': 'relu', 'use_bias': true}}"),
                new MapWeights().put("fc", "kernel", ramp(4, 3)).put("fc", "bias", ramp(3)));
        assertEquals(List.of("fc", "fc_relu"), m.nodes().stream().map(n -> n.name()).toList());
        Ops.Dense d = assertInstanceOf(Ops.Dense.class, m.node("fc").op());
        assertArrayEquals(new int[] {4, 3}, d.kernel().shape());
        assertEquals(ActivationKind.RELU, ((Ops.Activation) m.node("fc_relu").op()).activation());
        assertEquals(List.of("fc_relu"), m.outputs());
        assertArrayEquals(new int[] {-1, 4}, m.inputs().get(0).shape());
        assertEquals("in", m.inputs().get(0).name());
        assertEquals("Keras", m.metadata().get("format"));
    }

    @Test
    void denseWithoutBiasAndLinearActivationIsOneNode() {
        Model m = build(sequential("4",
                "{'class_name': 'Dense', 'config': {'name': 'fc', 'units': 2, 'activation': 'linear', 'use_bias': false}}"),
                new MapWeights().put("fc", "kernel", ramp(4, 2)));
        assertEquals(1, m.nodes().size());
        assertNull(((Ops.Dense) m.node("fc").op()).bias());
    }

    @Test
    void sequentialWithoutInputLayerTakesTheFirstLayersBatchInputShape() {
        JsonNode arch = parse("{'class_name': 'Sequential', 'config': [{'class_name': 'Dense', 'config': {'name': 'd',"
                + " 'units': 2, 'batch_input_shape': [null, 3], 'activation': 'softmax'}}]}");
        Model m = build(arch, new MapWeights().put("d", "kernel", ramp(3, 2)).put("d", "bias", ramp(2)));
        assertEquals("d_input", m.inputs().get(0).name());
        assertEquals(new Ops.Softmax(-1, false), m.node("d_softmax").op());
    }

    /**
     * TF "same": out = ceil(in / stride), total = max((out-1)*stride + k - in, 0), begin = total / 2, end = rest.
     * 5 wide, k 2, stride 1: total 1 -> (0, 1). 6 high, k 3, stride 2: out 3, total 1 -> (0, 1).
     */
    @Test
    void conv2dSamePaddingPutsTheExtraPixelAtTheEnd() {
        Model m = build(sequential("6, 5, 2",
                "{'class_name': 'Conv2D', 'config': {'name': 'c', 'filters': 4, 'kernel_size': [3, 2], 'strides': [2, 1],"
                        + " 'padding': 'same', 'data_format': 'channels_last', 'dilation_rate': [1, 1], 'groups': 1,"
                        + " 'activation': 'linear', 'use_bias': true}}"),
                new MapWeights().put("c", "kernel", ramp(3, 2, 2, 4)).put("c", "bias", ramp(4)));
        Ops.Conv c = (Ops.Conv) m.node("c").op();
        assertArrayEquals(new int[] {0, 0}, c.padsBegin());
        assertArrayEquals(new int[] {1, 1}, c.padsEnd());
        assertArrayEquals(new int[] {2, 1}, c.strides());
        assertEquals(Layout.CHANNELS_LAST, c.layout());
        assertArrayEquals(new int[] {1, 3, 5, 4}, m.inferShapes(1).get("c"));
    }

    @Test
    void conv2dSamePaddingEvenTotalIsSymmetricAndDilationCounts() {
        // k 3 dilation 2 -> effective 5, in 7 stride 1: total 4 -> (2, 2)
        Model m = build(sequential("7, 7, 1",
                "{'class_name': 'Conv2D', 'config': {'name': 'c', 'filters': 1, 'kernel_size': 3, 'strides': 1,"
                        + " 'padding': 'same', 'dilation_rate': 2, 'use_bias': false, 'activation': 'tanh'}}"),
                new MapWeights().put("c", "kernel", ramp(3, 3, 1, 1)));
        Ops.Conv c = (Ops.Conv) m.node("c").op();
        assertArrayEquals(new int[] {2, 2}, c.padsBegin());
        assertArrayEquals(new int[] {2, 2}, c.padsEnd());
        assertArrayEquals(new int[] {2, 2}, c.dilations());
        assertEquals(ActivationKind.TANH, ((Ops.Activation) m.node("c_tanh").op()).activation());
    }

    @Test
    void conv1dCausalPadsOnlyTheStart() {
        Model m = build(sequential("10, 3",
                "{'class_name': 'Conv1D', 'config': {'name': 'c', 'filters': 2, 'kernel_size': [3], 'strides': [1],"
                        + " 'padding': 'causal', 'dilation_rate': [2], 'use_bias': true, 'activation': 'linear'}}"),
                new MapWeights().put("c", "kernel", ramp(3, 3, 2)).put("c", "bias", ramp(2)));
        Ops.Conv c = (Ops.Conv) m.node("c").op();
        assertArrayEquals(new int[] {4}, c.padsBegin());
        assertArrayEquals(new int[] {0}, c.padsEnd());
        assertArrayEquals(new int[] {1, 10, 2}, m.inferShapes(1).get("c"));
    }

    @Test
    void groupedConvKeepsGroups() {
        Model m = build(sequential("5, 5, 4",
                "{'class_name': 'Conv2D', 'config': {'name': 'c', 'filters': 6, 'kernel_size': [1, 1], 'groups': 2,"
                        + " 'padding': 'valid', 'use_bias': false, 'activation': 'linear'}}"),
                new MapWeights().put("c", "kernel", ramp(1, 1, 2, 6)));
        assertEquals(2, ((Ops.Conv) m.node("c").op()).groups());
    }

    /** Depthwise kernel [k, k, cIn, mult] is a grouped conv (groups = cIn) with kernel [k, k, 1, cIn*mult]. */
    @Test
    void depthwiseConvIsAGroupedConv() {
        Model m = build(sequential("4, 4, 3",
                "{'class_name': 'DepthwiseConv2D', 'config': {'name': 'dw', 'kernel_size': [2, 2], 'depth_multiplier': 2,"
                        + " 'padding': 'valid', 'use_bias': true, 'activation': 'relu'}}"),
                new MapWeights().put("dw", "depthwise_kernel", ramp(2, 2, 3, 2)).put("dw", "bias", ramp(6)));
        Ops.Conv c = (Ops.Conv) m.node("dw").op();
        assertEquals(3, c.groups());
        assertArrayEquals(new int[] {2, 2, 1, 6}, c.kernel().shape());
        assertArrayEquals(ramp(2, 2, 3, 2).data(), c.kernel().data());
        assertArrayEquals(new int[] {1, 3, 3, 6}, m.inferShapes(1).get("dw_relu"));
    }

    @Test
    void separableConvIsDepthwiseThenPointwise() {
        Model m = build(sequential("4, 4, 3",
                "{'class_name': 'SeparableConv2D', 'config': {'name': 'sc', 'filters': 5, 'kernel_size': [3, 3],"
                        + " 'depth_multiplier': 1, 'padding': 'same', 'use_bias': true, 'activation': 'linear'}}"),
                new MapWeights().put("sc", "depthwise_kernel", ramp(3, 3, 3, 1))
                        .put("sc", "pointwise_kernel", ramp(1, 1, 3, 5)).put("sc", "bias", ramp(5)));
        assertEquals(List.of("sc_depthwise", "sc"), m.nodes().stream().map(n -> n.name()).toList());
        assertNull(((Ops.Conv) m.node("sc_depthwise").op()).bias());
        assertArrayEquals(new int[] {1, 4, 4, 5}, m.inferShapes(1).get("sc"));
    }

    @Test
    void poolingValidAndSame() {
        Model m = build(sequential("5, 5, 2",
                "{'class_name': 'MaxPooling2D', 'config': {'name': 'mp', 'pool_size': [2, 2], 'strides': null,"
                        + " 'padding': 'valid', 'data_format': 'channels_last'}}",
                "{'class_name': 'AveragePooling2D', 'config': {'name': 'ap', 'pool_size': [2, 2], 'strides': [1, 1],"
                        + " 'padding': 'same'}}"),
                new MapWeights());
        Ops.Pool mp = (Ops.Pool) m.node("mp").op();
        assertArrayEquals(new int[] {2, 2}, mp.strides());
        assertArrayEquals(new int[] {1, 2, 2, 2}, m.inferShapes(1).get("mp"));
        Ops.Pool ap = (Ops.Pool) m.node("ap").op();
        // 2 in, k 2, stride 1 -> total 1 -> (0, 1); Keras averages over real pixels only
        assertArrayEquals(new int[] {0, 0}, ap.padsBegin());
        assertArrayEquals(new int[] {1, 1}, ap.padsEnd());
        assertFalse(ap.countIncludePad());
        assertEquals(Ops.PoolKind.AVG, ap.pool());
        assertArrayEquals(new int[] {1, 2, 2, 2}, m.inferShapes(1).get("ap"));
    }

    @Test
    void pooling1dAndGlobalPooling() {
        Model m = build(sequential("8, 3",
                "{'class_name': 'MaxPooling1D', 'config': {'name': 'mp', 'pool_size': 3, 'strides': 2, 'padding': 'same'}}",
                "{'class_name': 'GlobalAveragePooling1D', 'config': {'name': 'gap'}}"),
                new MapWeights());
        Ops.Pool mp = (Ops.Pool) m.node("mp").op();
        // in 8, k 3, stride 2: out 4, total max(3*2+3-8, 0) = 1 -> (0, 1)
        assertArrayEquals(new int[] {0}, mp.padsBegin());
        assertArrayEquals(new int[] {1}, mp.padsEnd());
        assertArrayEquals(new int[] {1, 4, 3}, m.inferShapes(1).get("mp"));
        assertEquals(new Ops.GlobalPool(Ops.PoolKind.AVG, Layout.CHANNELS_LAST, false), m.node("gap").op());
        assertArrayEquals(new int[] {1, 3}, m.inferShapes(1).get("gap"));
    }

    @Test
    void batchNormWithoutCenterAndScaleUsesOnesAndZeros() {
        Model m = build(sequential("3, 3, 2",
                "{'class_name': 'BatchNormalization', 'config': {'name': 'bn', 'axis': [3], 'epsilon': 0.01,"
                        + " 'center': false, 'scale': false}}"),
                new MapWeights().put("bn", "moving_mean", Tensor.of(new float[] {1, 2}, 2))
                        .put("bn", "moving_variance", Tensor.of(new float[] {4, 9}, 2)));
        Ops.BatchNorm bn = (Ops.BatchNorm) m.node("bn").op();
        assertArrayEquals(new float[] {1, 1}, bn.gamma().data());
        assertArrayEquals(new float[] {0, 0}, bn.beta().data());
        assertArrayEquals(new float[] {1, 2}, bn.mean().data());
        assertEquals(0.01f, bn.epsilon());
        assertEquals(Layout.CHANNELS_LAST, bn.layout());
    }

    @Test
    void batchNormDefaultsAndDenseInput() {
        Model m = build(sequential("2",
                "{'class_name': 'BatchNormalization', 'config': {'name': 'bn', 'axis': -1}}"),
                new MapWeights().put("bn", "gamma", ramp(2)).put("bn", "beta", ramp(2))
                        .put("bn", "moving_mean", ramp(2)).put("bn", "moving_variance", ramp(2)));
        Ops.BatchNorm bn = (Ops.BatchNorm) m.node("bn").op();
        assertEquals(1e-3f, bn.epsilon());
        assertArrayEquals(new float[] {1, 2}, bn.gamma().data());
    }

    @Test
    void batchNormOnANonChannelAxisIsRejectedWithTheLayerName() {
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("3, 3, 2",
                "{'class_name': 'BatchNormalization', 'config': {'name': 'bn', 'axis': 2, 'center': false, 'scale': false}}"),
                new MapWeights().put("bn", "moving_mean", ramp(3)).put("bn", "moving_variance", ramp(3))));
        assertTrue(e.getMessage().contains("layer 'bn' (BatchNormalization)"), e.getMessage());
    }

    @Test
    void activationLayers() {
        Model m = build(sequential("4",
                "{'class_name': 'LeakyReLU', 'config': {'name': 'lr', 'alpha': 0.1}}",
                "{'class_name': 'ReLU', 'config': {'name': 'r6', 'max_value': 6.0, 'negative_slope': 0.0, 'threshold': 0.0}}",
                "{'class_name': 'ReLU', 'config': {'name': 'rl', 'max_value': null, 'negative_slope': 0.05}}",
                "{'class_name': 'ELU', 'config': {'name': 'e', 'alpha': 2.0}}",
                "{'class_name': 'Activation', 'config': {'name': 'hs', 'activation': 'hard_sigmoid'}}",
                "{'class_name': 'Activation', 'config': {'name': 'sp', 'activation': 'softplus'}}",
                "{'class_name': 'Activation', 'config': {'name': 'ss', 'activation': 'softsign'}}",
                "{'class_name': 'Activation', 'config': {'name': 'se', 'activation': 'selu'}}",
                "{'class_name': 'Activation', 'config': {'name': 'li', 'activation': 'linear'}}",
                "{'class_name': 'Activation', 'config': {'name': 'lk', 'activation': 'leaky_relu'}}",
                "{'class_name': 'Softmax', 'config': {'name': 'sm', 'axis': -1}}"),
                new MapWeights());
        assertEquals(new Ops.Activation(ActivationKind.LEAKY_RELU, 0.1f, 0f), m.node("lr").op());
        assertEquals(new Ops.Activation(ActivationKind.CLIP, 0f, 6f), m.node("r6").op());
        assertEquals(new Ops.Activation(ActivationKind.LEAKY_RELU, 0.05f, 0f), m.node("rl").op());
        assertEquals(new Ops.Activation(ActivationKind.ELU, 2f, 0f), m.node("e").op());
        assertEquals(new Ops.Activation(ActivationKind.HARD_SIGMOID, 0.2f, 0.5f), m.node("hs").op());
        assertEquals(ActivationKind.SOFTPLUS, ((Ops.Activation) m.node("sp").op()).activation());
        assertEquals(ActivationKind.SOFTSIGN, ((Ops.Activation) m.node("ss").op()).activation());
        assertEquals(ActivationKind.SELU, ((Ops.Activation) m.node("se").op()).activation());
        assertEquals(ActivationKind.LINEAR, ((Ops.Activation) m.node("li").op()).activation());
        assertEquals(new Ops.Activation(ActivationKind.LEAKY_RELU, 0.2f, 0f), m.node("lk").op());
        assertEquals(new Ops.Softmax(-1, false), m.node("sm").op());
    }

    @Test
    void keras3HardSigmoidAndLeakyReluSlope() {
        JsonNode arch = parse("{'class_name': 'Sequential', 'keras_version': '3.3.3', 'config': {'layers': ["
                + "{'module': 'keras.layers', 'class_name': 'InputLayer', 'config': {'name': 'x', 'batch_shape': [null, 3]}},"
                + "{'module': 'keras.layers', 'class_name': 'Activation', 'config': {'name': 'hs', 'activation': 'hard_sigmoid'}},"
                + "{'module': 'keras.layers', 'class_name': 'LeakyReLU', 'config': {'name': 'lr', 'negative_slope': 0.25}}]}}");
        Model m = build(arch, new MapWeights());
        assertEquals(new Ops.Activation(ActivationKind.HARD_SIGMOID, 1f / 6f, 0.5f), m.node("hs").op());
        assertEquals(new Ops.Activation(ActivationKind.LEAKY_RELU, 0.25f, 0f), m.node("lr").op());
        assertArrayEquals(new int[] {-1, 3}, m.inputs().get(0).shape());
    }

    @Test
    void flattenReshapePermuteAndDropout() {
        Model m = build(sequential("2, 3, 4",
                "{'class_name': 'Permute', 'config': {'name': 'p', 'dims': [3, 1, 2]}}",
                "{'class_name': 'Dropout', 'config': {'name': 'dr', 'rate': 0.5}}",
                "{'class_name': 'Reshape', 'config': {'name': 'r', 'target_shape': [4, -1]}}",
                "{'class_name': 'Flatten', 'config': {'name': 'f'}}"),
                new MapWeights());
        assertArrayEquals(new int[] {0, 3, 1, 2}, ((Ops.Transpose) m.node("p").op()).perm());
        assertInstanceOf(Ops.Identity.class, m.node("dr").op());
        assertArrayEquals(new int[] {7, 4, 6}, m.inferShapes(7).get("r"));
        assertEquals(new Ops.Flatten(1), m.node("f").op());
        assertArrayEquals(new int[] {7, 24}, m.inferShapes(7).get("f"));
    }

    @Test
    void flattenOfChannelsFirstMovesChannelsLast() {
        Model m = build(sequential("2, 3, 3",
                "{'class_name': 'Flatten', 'config': {'name': 'f', 'data_format': 'channels_first'}}"),
                new MapWeights());
        assertArrayEquals(new int[] {0, 2, 3, 1}, ((Ops.Transpose) m.node("f_to_channels_last").op()).perm());
    }

    /** Keras 2 Functional graph: inbound_nodes [[["name", 0, 0, {}], ...]]; Add and Concatenate. */
    @Test
    void functionalGraphWithAddAndConcatenate() {
        JsonNode arch = parse("{'class_name': 'Model', 'config': {'name': 'g', 'layers': ["
                + "{'class_name': 'InputLayer', 'name': 'x', 'config': {'name': 'x', 'batch_input_shape': [null, 3]}, 'inbound_nodes': []},"
                + "{'class_name': 'Dense', 'name': 'a', 'config': {'name': 'a', 'units': 2, 'activation': 'relu'}, 'inbound_nodes': [[['x', 0, 0, {}]]]},"
                + "{'class_name': 'Dense', 'name': 'b', 'config': {'name': 'b', 'units': 2, 'activation': 'linear'}, 'inbound_nodes': [[['x', 0, 0, {}]]]},"
                + "{'class_name': 'Add', 'name': 's', 'config': {'name': 's'}, 'inbound_nodes': [[['a', 0, 0, {}], ['b', 0, 0, {}], ['a', 0, 0, {}]]]},"
                + "{'class_name': 'Concatenate', 'name': 'c', 'config': {'name': 'c', 'axis': -1}, 'inbound_nodes': [[['s', 0, 0, {}], ['x', 0, 0, {}]]]}"
                + "], 'input_layers': [['x', 0, 0]], 'output_layers': [['c', 0, 0]]}}");
        MapWeights w = new MapWeights().put("a", "kernel", ramp(3, 2)).put("a", "bias", ramp(2))
                .put("b", "kernel", ramp(3, 2)).put("b", "bias", ramp(2));
        Model m = build(arch, w);
        assertEquals(List.of("a_relu", "b"), m.node("s_1").inputs());
        assertEquals(List.of("s_1", "a_relu"), m.node("s").inputs());
        assertEquals(List.of("s", "x"), m.node("c").inputs());
        assertArrayEquals(new int[] {1, 5}, m.inferShapes(1).get("c"));
        assertEquals(List.of("c"), m.outputs());
    }

    /** Keras 3 Functional graph: inbound_nodes [{"args": [keras tensors], "kwargs": {}}], flat input_layers. */
    @Test
    void keras3FunctionalGraph() {
        String t = "{'class_name': '__keras_tensor__', 'config': {'shape': [null, 3], 'dtype': 'float32', 'keras_history': ['%s', 0, 0]}}";
        JsonNode arch = parse("{'class_name': 'Functional', 'config': {'name': 'g', 'layers': ["
                + "{'module': 'keras.layers', 'class_name': 'InputLayer', 'name': 'x', 'config': {'name': 'x', 'batch_shape': [null, 3]}, 'inbound_nodes': []},"
                + "{'module': 'keras.layers', 'class_name': 'ReLU', 'name': 'r', 'config': {'name': 'r'}, 'inbound_nodes': [{'args': [" + t.formatted("x") + "], 'kwargs': {}}]},"
                + "{'module': 'keras.layers', 'class_name': 'Subtract', 'name': 's', 'config': {'name': 's'}, 'inbound_nodes': [{'args': [[" + t.formatted("r") + ", " + t.formatted("x") + "]], 'kwargs': {}}]}"
                + "], 'input_layers': ['x', 0, 0], 'output_layers': ['s', 0, 0]}}");
        Model m = build(arch, new MapWeights());
        assertEquals(List.of("r", "x"), m.node("s").inputs());
        assertEquals(new Ops.Binary(Ops.BinaryKind.SUB), m.node("s").op());
    }

    @Test
    void unsupportedLayerNamesLayerClassAndSupportedList() {
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("4, 4, 1",
                "{'class_name': 'Cropping2D', 'config': {'name': 'zp', 'cropping': [1, 1]}}"), new MapWeights()));
        assertTrue(e.getMessage().startsWith("m.json: layer 'zp' (Cropping2D) is not supported; supported Keras"
                + " layers: InputLayer, Dense, Conv1D, Conv2D"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unsupportedActivationIsNamed() {
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("4",
                "{'class_name': 'Dense', 'config': {'name': 'fc', 'units': 3, 'activation': 'swish'}}"),
                new MapWeights().put("fc", "kernel", ramp(4, 3)).put("fc", "bias", ramp(3))));
        assertEquals("m.json: layer 'fc' (Dense): activation 'swish' is not supported; supported: linear, relu, relu6,"
                + " sigmoid, hard_sigmoid, softmax, tanh, elu, selu, leaky_relu, softplus, softsign", e.getMessage());
    }

    @Test
    void shapesThatDoNotChainNameTheLayer() {
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("5",
                "{'class_name': 'Dense', 'config': {'name': 'fc1', 'units': 3}}",
                "{'class_name': 'Dense', 'config': {'name': 'fc2', 'units': 2}}"),
                new MapWeights().put("fc1", "kernel", ramp(5, 3)).put("fc1", "bias", ramp(3))
                        .put("fc2", "kernel", ramp(4, 2)).put("fc2", "bias", ramp(2))));
        assertEquals("m.json: layer 'fc2' (Dense): kernel [4, 2] expects 4 input features but the layer receives"
                + " shape (None, 3)", e.getMessage());

        ModelException c = assertThrows(ModelException.class, () -> build(sequential("5",
                "{'class_name': 'Conv2D', 'config': {'name': 'conv', 'filters': 1, 'kernel_size': [3, 3]}}"),
                new MapWeights().put("conv", "kernel", ramp(3, 3, 1, 1)).put("conv", "bias", ramp(1))));
        assertTrue(c.getMessage().startsWith("m.json: layer 'conv' (Conv2D): Conv2D expects a rank-4 input"),
                c.getMessage());

        ModelException p = assertThrows(ModelException.class, () -> build(sequential("2, 2, 1",
                "{'class_name': 'MaxPooling2D', 'config': {'name': 'mp', 'pool_size': [3, 3], 'padding': 'valid'}}"),
                new MapWeights()));
        assertTrue(p.getMessage().startsWith("m.json: layer 'mp' (MaxPooling2D): "), p.getMessage());
    }

    @Test
    void missingWeightsNameLayerAndDataset() {
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("4",
                "{'class_name': 'Dense', 'config': {'name': 'fc', 'units': 3}}"),
                new MapWeights().put("fc", "kernel", ramp(4, 3))));
        assertEquals("test_weights.h5: layer 'fc' (Dense) is missing dataset 'fc/bias:0' (the file has [kernel])",
                e.getMessage());
        ModelException none = assertThrows(ModelException.class, () -> build(sequential("4",
                "{'class_name': 'Dense', 'config': {'name': 'fc', 'units': 3}}"), new MapWeights()));
        assertEquals("test_weights.h5: no weights for layer 'fc' (Dense): missing dataset 'fc/kernel:0'",
                none.getMessage());
    }

    @Test
    void unknownInputDimensionIsRejected() {
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("null, 3",
                "{'class_name': 'Flatten', 'config': {'name': 'f'}}"), new MapWeights()));
        assertTrue(e.getMessage().contains("input 'in' has an unknown dimension"), e.getMessage());
    }

    @Test
    void sharedLayersAreRejected() {
        JsonNode arch = parse("{'class_name': 'Model', 'config': {'name': 'g', 'layers': ["
                + "{'class_name': 'InputLayer', 'name': 'x', 'config': {'name': 'x', 'batch_input_shape': [null, 3]}, 'inbound_nodes': []},"
                + "{'class_name': 'ReLU', 'name': 'r', 'config': {'name': 'r'}, 'inbound_nodes': [[['x', 0, 0, {}]], [['x', 0, 0, {}]]]}"
                + "], 'input_layers': [['x', 0, 0]], 'output_layers': [['r', 0, 0]]}}");
        ModelException e = assertThrows(ModelException.class, () -> build(arch, new MapWeights()));
        assertTrue(e.getMessage().contains("shared"), e.getMessage());
    }

    /** Every config value, layer entry and inbound node replaced by odd JSON: a model or a ModelException only. */
    @Test
    void oddConfigValuesGiveModelExceptionsOnly() throws Exception {
        MapWeights w = new MapWeights().put("conv", "kernel", ramp(2, 2, 1, 2)).put("conv", "bias", ramp(2))
                .put("bn", "gamma", ramp(2)).put("bn", "beta", ramp(2)).put("bn", "moving_mean", ramp(2))
                .put("bn", "moving_variance", ramp(2)).put("out", "kernel", ramp(8, 3)).put("out", "bias", ramp(3))
                .put("a", "kernel", ramp(3, 2)).put("a", "bias", ramp(2)).put("b", "kernel", ramp(3, 2))
                .put("b", "bias", ramp(2));
        JsonNode[] odd = {com.fasterxml.jackson.databind.node.NullNode.instance, JSON.readTree("\"x\""),
            JSON.readTree("-1"), JSON.readTree("0"), JSON.readTree("[]"), JSON.readTree("{}"), JSON.readTree("1e10"),
            JSON.readTree("true"), JSON.readTree("[1, 2, 3]"), JSON.readTree("[null]"), JSON.readTree("[[\"zz\", 0, 0]]")};
        JsonNode functional = parse("{'class_name': 'Model', 'config': {'name': 'g', 'layers': ["
                + "{'class_name': 'InputLayer', 'name': 'x', 'config': {'name': 'x', 'batch_input_shape': [null, 3]}, 'inbound_nodes': []},"
                + "{'class_name': 'Dense', 'name': 'a', 'config': {'name': 'a', 'units': 2, 'activation': 'relu'}, 'inbound_nodes': [[['x', 0, 0, {}]]]},"
                + "{'class_name': 'Dense', 'name': 'b', 'config': {'name': 'b', 'units': 2}, 'inbound_nodes': [[['x', 0, 0, {}]]]},"
                + "{'class_name': 'Add', 'name': 's', 'config': {'name': 's'}, 'inbound_nodes': [[['a', 0, 0, {}], ['b', 0, 0, {}]]]}"
                + "], 'input_layers': [['x', 0, 0]], 'output_layers': [['s', 0, 0]]}}");
        int tried = 0;
        for (JsonNode base : List.of(JSON.readTree(KerasImporterTest.CNN), functional)) {
            JsonNode layers = base.path("config").path("layers");
            for (int li = 0; li < layers.size(); li++) {
                List<String> paths = new java.util.ArrayList<>();
                layers.get(li).path("config").fieldNames().forEachRemaining(k -> paths.add("config/" + k));
                layers.get(li).fieldNames().forEachRemaining(paths::add);
                for (String path : paths) {
                    for (JsonNode v : odd) {
                        JsonNode arch = base.deepCopy();
                        com.fasterxml.jackson.databind.node.ObjectNode target =
                                (com.fasterxml.jackson.databind.node.ObjectNode) arch.path("config").path("layers").get(li);
                        String key = path;
                        if (path.startsWith("config/")) {
                            target = (com.fasterxml.jackson.databind.node.ObjectNode) target.get("config");
                            key = path.substring(7);
                        }
                        target.set(key, v);
                        tried++;
                        try {
                            build(arch, w).inferShapes(2);
                        } catch (ModelException e) {
                            assertFalse(e.getMessage().contains("\n"), e.getMessage());
                        }
                    }
                }
            }
        }
        assertTrue(tried > 300, "cases tried: " + tried);
    }

    /** A later layer named like a generated activation node keeps its name; the generated one moves aside. */
    @Test
    void generatedNamesAvoidKerasLayerNames() {
        Model m = build(sequential("4",
                "{'class_name': 'Dense', 'config': {'name': 'fc', 'units': 3, 'activation': 'relu'}}",
                "{'class_name': 'Activation', 'config': {'name': 'fc_relu', 'activation': 'tanh'}}"),
                new MapWeights().put("fc", "kernel", ramp(4, 3)).put("fc", "bias", ramp(3)));
        assertEquals(List.of("fc", "fc_relu_1", "fc_relu"), m.nodes().stream().map(n -> n.name()).toList());
        assertEquals(ActivationKind.TANH, ((Ops.Activation) m.node("fc_relu").op()).activation());
    }

    /**
     * Exhaustive small grid: with TF "same" padding the IR's own window arithmetic gives ceil(in / stride) outputs,
     * the padding is never negative and any odd pixel goes to the end.
     */
    @Test
    void samePaddingGivesCeilOutputsOnAGrid() {
        for (int in = 1; in <= 12; in++) {
            for (int k = 1; k <= 5; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int d = 1; d <= 2; d++) {
                        Model m = build(sequential(in + ", 1",
                                "{'class_name': 'Conv1D', 'config': {'name': 'c', 'filters': 1, 'kernel_size': [" + k
                                        + "], 'strides': [" + s + "], 'dilation_rate': [" + d + "], 'padding': 'same',"
                                        + " 'use_bias': false}}",
                                "{'class_name': 'MaxPooling1D', 'config': {'name': 'p', 'pool_size': [" + k
                                        + "], 'strides': [" + s + "], 'padding': 'same'}}"),
                                new MapWeights().put("c", "kernel", ramp(k, 1, 1)));
                        String at = "in " + in + " k " + k + " s " + s + " d " + d;
                        int outC = (in + s - 1) / s;
                        assertEquals(outC, m.inferShapes(1).get("c")[1], at);
                        assertEquals((outC + s - 1) / s, m.inferShapes(1).get("p")[1], at);
                        Ops.Conv c = (Ops.Conv) m.node("c").op();
                        int diff = c.padsEnd()[0] - c.padsBegin()[0];
                        assertTrue(c.padsBegin()[0] >= 0 && (diff == 0 || diff == 1), at);
                    }
                }
            }
        }
    }
}
