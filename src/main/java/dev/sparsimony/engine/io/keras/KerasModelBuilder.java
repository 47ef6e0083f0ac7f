package dev.sparsimony.engine.io.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Keras architecture (the JSON of {@code model.to_json()}) plus its weights into the IR.
 * Semantics follow Keras/TensorFlow (channels-last feature maps, TF "same" padding with the extra pixel at the
 * end, average pooling that excludes padding); sources are cited per layer below.
 */
final class KerasModelBuilder {
    /** Layer classes this importer understands, for the "not supported" message. */
    static final List<String> SUPPORTED = List.of("InputLayer", "Dense", "Conv1D", "Conv2D", "DepthwiseConv1D",
            "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "BatchNormalization", "Activation", "ReLU",
            "LeakyReLU", "ELU", "Softmax", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D",
            "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "Flatten",
            "Reshape", "Permute", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise",
            "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Add", "Subtract", "Multiply",
            "Concatenate", "PReLU", "ThresholdedReLU", "ZeroPadding1D", "ZeroPadding2D", "UpSampling1D", "UpSampling2D");

    static final List<String> ACTIVATIONS = List.of("linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "softmax",
            "tanh", "elu", "selu", "leaky_relu", "softplus", "softsign");

    private final KerasWeights weights;
    private final String where;
    private final boolean keras3;
    private final List<Node> nodes = new ArrayList<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    /** Shape of every IR value for batch 1, needed for TF "same" padding and for chain checks. */
    private final Map<String, int[]> shapes = new HashMap<>();
    /** Keras layer name -> IR value holding its output (after any inline activation). */
    private final Map<String, String> outputOf = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    /** Every Keras layer name of the model: generated node names (activations, chains) must avoid them. */
    private final Set<String> reserved = new HashSet<>();

    private KerasModelBuilder(KerasWeights weights, String where, boolean keras3) {
        this.weights = weights;
        this.where = where;
        this.keras3 = keras3;
    }

    /**
     * @param arch   the architecture (top-level object with class_name and config)
     * @param name   model name (the file stem)
     * @param source file name(s) for messages and metadata
     */
    static Model build(JsonNode arch, KerasWeights weights, String name, String source) {
        String cls = arch.path("class_name").asText();
        JsonNode config = arch.path("config");
        JsonNode layers = config.isArray() ? config : config.path("layers");
        String version = arch.path("keras_version").asText(null);
        if (version == null && weights instanceof KerasH5 h5) {
            version = h5.kerasVersion();
        }
        boolean keras3 = (version != null && version.startsWith("3"))
                || (layers.size() > 0 && "keras.layers".equals(layers.get(0).path("module").asText()));
        String where = source.contains(" + ") ? source.substring(0, source.indexOf(" + ")) : source;
        KerasModelBuilder b = new KerasModelBuilder(weights, where, keras3);
        if (!layers.isArray()) {
            throw new ModelException(where + ": the Keras " + cls + " config has no \"layers\" list");
        }
        for (JsonNode l : layers) {
            b.reserved.add(b.layerName(l));
        }
        List<String> outputs = switch (cls) {
            case "Sequential" -> b.sequential(layers);
            case "Model", "Functional" -> b.functional(config, layers);
            default -> throw new ModelException(where + ": top-level Keras class '" + cls
                    + "' is not supported (expected Sequential, Model or Functional)");
        };
        Map<String, String> md = new LinkedHashMap<>();
        md.put("format", "Keras");
        md.put("source", source);
        if (version != null) {
            md.put("keras_version", version);
        }
        if (arch.hasNonNull("backend")) {
            md.put("backend", arch.get("backend").asText());
        }
        if (config.isObject() && config.hasNonNull("name")) {
            md.put("keras_model_name", config.get("name").asText());
        }
        return new Model(name, b.inputs, b.nodes, outputs, md);
    }

    // ------------------------------------------------------------------ model structures

    private List<String> sequential(JsonNode layers) {
        if (layers.isEmpty()) {
            throw new ModelException(where + ": the Sequential model has no layers");
        }
        JsonNode first = layers.get(0);
        int start = 0;
        String prev;
        if ("InputLayer".equals(first.path("class_name").asText())) {
            prev = addInput(layerName(first), first.path("config"));
            start = 1;
        } else {
            int[] shape = batchShape(first.path("config"));
            if (shape == null) {
                throw new ModelException(where + ": the Sequential model has no input shape (no InputLayer and no"
                        + " batch_input_shape on its first layer '" + layerName(first) + "')");
            }
            prev = addInput(layerName(first) + "_input", shape);
        }
        for (int i = start; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            if ("InputLayer".equals(l.path("class_name").asText())) {
                continue;
            }
            prev = addLayer(l, List.of(prev));
        }
        return List.of(prev);
    }

    private List<String> functional(JsonNode config, JsonNode layers) {
        Map<String, JsonNode> pending = new LinkedHashMap<>();
        for (JsonNode l : layers) {
            String n = layerName(l);
            if (pending.put(n, l) != null) {
                throw new ModelException(where + ": two layers are named '" + n + "'");
            }
        }
        // Keras stores layers in a topological order, but resolve dependencies anyway
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                JsonNode l = e.getValue();
                if ("InputLayer".equals(l.path("class_name").asText())) {
                    addInput(e.getKey(), l.path("config"));
                    it.remove();
                    progress = true;
                    continue;
                }
                List<String> in = inboundLayers(e.getKey(), l);
                if (!outputOf.keySet().containsAll(in)) {
                    continue;
                }
                List<String> values = in.stream().map(outputOf::get).toList();
                addLayer(l, values);
                it.remove();
                progress = true;
            }
        }
        if (!pending.isEmpty()) {
            String n = pending.keySet().iterator().next();
            List<String> in = inboundLayers(n, pending.get(n));
            List<String> missing = in.stream().filter(s -> !outputOf.containsKey(s)).toList();
            throw new ModelException(where + ": layer '" + n + "' reads " + missing
                    + ", which no layer of the model produces (or the layers form a cycle)");
        }
        List<String> outs = new ArrayList<>();
        for (String o : layerRefs(config.path("output_layers"), "output_layers")) {
            String v = outputOf.get(o);
            if (v == null) {
                throw new ModelException(where + ": model output '" + o + "' is not a layer of the model");
            }
            outs.add(v);
        }
        if (outs.isEmpty()) {
            throw new ModelException(where + ": the Keras model lists no output_layers");
        }
        // keep the inputs in the order of input_layers
        List<String> order = layerRefs(config.path("input_layers"), "input_layers");
        if (!order.isEmpty()) {
            List<ValueInfo> sorted = new ArrayList<>();
            for (String o : order) {
                inputs.stream().filter(v -> v.name().equals(o)).findFirst().ifPresentOrElse(sorted::add, () -> {
                    throw new ModelException(where + ": model input '" + o + "' is not an InputLayer of the model");
                });
            }
            inputs.clear();
            inputs.addAll(sorted);
        }
        return outs;
    }

    /** [["name", 0, 0], ...] (Keras 2) or ["name", 0, 0] (Keras 3, single tensor). */
    private List<String> layerRefs(JsonNode refs, String what) {
        List<String> out = new ArrayList<>();
        if (!refs.isArray()) {
            return out;
        }
        if (refs.size() > 0 && refs.get(0).isTextual()) {
            out.add(refs.get(0).asText());
            return out;
        }
        for (JsonNode r : refs) {
            if (!r.isArray() || r.isEmpty() || !r.get(0).isTextual()) {
                throw new ModelException(where + ": malformed " + what + " entry " + r);
            }
            out.add(r.get(0).asText());
        }
        return out;
    }

    /** Names of the layers feeding a Functional layer, from its inbound_nodes (Keras 2 or Keras 3 format). */
    private List<String> inboundLayers(String name, JsonNode layer) {
        JsonNode nodesJson = layer.path("inbound_nodes");
        String cls = layer.path("class_name").asText();
        if (!nodesJson.isArray() || nodesJson.isEmpty()) {
            throw new ModelException(where + ": layer '" + name + "' (" + cls + ") has no inbound_nodes");
        }
        if (nodesJson.size() > 1) {
            throw new ModelException(where + ": layer '" + name + "' (" + cls + ") is shared (called "
                    + nodesJson.size() + " times); shared layers are not supported");
        }
        JsonNode call = nodesJson.get(0);
        List<JsonNode> history = new ArrayList<>();
        if (call.isObject()) { // Keras 3: {"args": [...], "kwargs": {...}}
            collectKerasHistory(call.path("args"), history);
        } else if (call.isArray()) { // Keras 2: [["name", nodeIndex, tensorIndex, {kwargs}], ...]
            for (JsonNode t : call) {
                history.add(t);
            }
        }
        List<String> in = new ArrayList<>();
        for (JsonNode h : history) {
            if (!h.isArray() || h.isEmpty() || !h.get(0).isTextual()) {
                throw new ModelException(where + ": layer '" + name + "' has a malformed inbound node " + h);
            }
            if (h.size() > 1 && h.get(1).asInt(0) != 0) {
                throw new ModelException(where + ": layer '" + name + "' reads the output of a shared layer ('"
                        + h.get(0).asText() + "', call " + h.get(1).asInt() + "); shared layers are not supported");
            }
            if (h.size() > 2 && h.get(2).asInt(0) != 0) {
                throw new ModelException(where + ": layer '" + name + "' reads output " + h.get(2).asInt()
                        + " of layer '" + h.get(0).asText() + "'; multi-output layers are not supported");
            }
            in.add(h.get(0).asText());
        }
        if (in.isEmpty()) {
            throw new ModelException(where + ": layer '" + name + "' (" + cls + ") has no inputs");
        }
        return in;
    }

    private static void collectKerasHistory(JsonNode n, List<JsonNode> out) {
        if (n.isObject()) {
            JsonNode h = n.path("config").path("keras_history");
            if ("__keras_tensor__".equals(n.path("class_name").asText()) && h.isArray()) {
                out.add(h);
                return;
            }
            n.forEach(c -> collectKerasHistory(c, out));
        } else if (n.isArray()) {
            n.forEach(c -> collectKerasHistory(c, out));
        }
    }

    private String layerName(JsonNode layer) {
        String n = layer.path("config").path("name").asText(null);
        if (n == null) {
            n = layer.path("name").asText(null);
        }
        if (n == null || n.isBlank()) {
            throw new ModelException(where + ": a Keras layer of class '" + layer.path("class_name").asText()
                    + "' has no name");
        }
        return n;
    }

    // ------------------------------------------------------------------ inputs

    private String addInput(String name, JsonNode cfg) {
        int[] shape = batchShape(cfg);
        if (shape == null) {
            throw new ModelException(where + ": input layer '" + name + "' has no batch_input_shape");
        }
        return addInput(name, shape);
    }

    private String addInput(String name, int[] shape) {
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] <= 0) {
                throw new ModelException(where + ": input '" + name + "' has an unknown dimension (None) at position "
                        + i + " of " + shapeText(shape) + "; Sparsimony needs a fixed input shape");
            }
        }
        if (shape.length < 2) {
            throw new ModelException(where + ": input '" + name + "' has no feature dimensions");
        }
        claim(name);
        inputs.add(new ValueInfo(name, shape));
        int[] b1 = shape.clone();
        b1[0] = 1;
        shapes.put(name, b1);
        outputOf.put(name, name);
        return name;
    }

    /** [-1, dims...] from batch_input_shape / batch_shape (Keras 3) / input_shape, or null when absent. */
    private static int[] batchShape(JsonNode cfg) {
        JsonNode s = cfg.path("batch_input_shape");
        if (!s.isArray()) {
            s = cfg.path("batch_shape");
        }
        boolean withBatch = true;
        if (!s.isArray()) {
            s = cfg.path("input_shape");
            withBatch = false;
        }
        if (!s.isArray()) {
            return null;
        }
        int[] shape = new int[Math.max(1, s.size() + (withBatch ? 0 : 1))];
        int off = withBatch ? 0 : 1;
        shape[0] = -1;
        for (int i = 0; i < s.size(); i++) {
            JsonNode d = s.get(i);
            shape[i + off] = d.isNull() ? -1 : d.asInt();
        }
        shape[0] = -1;
        return shape;
    }

    // ------------------------------------------------------------------ layers

    private String addLayer(JsonNode layer, List<String> in) {
        String cls = layer.path("class_name").asText();
        String name = layerName(layer);
        if (cls.isBlank()) {
            throw new ModelException(where + ": layer '" + name + "' has no class_name");
        }
        JsonNode cfg = layer.path("config");
        String out = switch (cls) {
            case "Dense" -> dense(name, cls, cfg, in);
            case "Conv1D", "Conv2D", "Convolution1D", "Convolution2D" -> conv(name, cls, cfg, in, cls.endsWith("1D") ? 1 : 2);
            case "DepthwiseConv1D", "DepthwiseConv2D" -> depthwise(name, cls, cfg, in, cls.endsWith("1D") ? 1 : 2);
            case "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D" ->
                    separable(name, cls, cfg, in, cls.endsWith("1D") ? 1 : 2);
            case "BatchNormalization" -> batchNorm(name, cls, cfg, in);
            case "Activation" -> {
                Op op = activation(name, cls, cfg.path("activation"));
                yield add(name, cls, name, op == null ? Ops.Activation.of(ActivationKind.LINEAR) : op, in);
            }
            case "ReLU" -> add(name, cls, name, relu(name, cls, cfg), in);
            case "LeakyReLU" -> add(name, cls, name, new Ops.Activation(ActivationKind.LEAKY_RELU,
                    (float) number(cfg, keras3 ? "negative_slope" : "alpha", keras3 ? "alpha" : "negative_slope", 0.3), 0f), in);
            case "ELU" -> add(name, cls, name, new Ops.Activation(ActivationKind.ELU,
                    (float) number(cfg, "alpha", null, 1.0), 0f), in);
            case "Softmax" -> add(name, cls, name, new Ops.Softmax(singleInt(name, cls, cfg.path("axis"), -1), false), in);
            case "MaxPooling1D", "MaxPooling2D", "MaxPool1D", "MaxPool2D" ->
                    pool(name, cls, cfg, in, Ops.PoolKind.MAX, cls.endsWith("1D") ? 1 : 2);
            case "AveragePooling1D", "AveragePooling2D", "AvgPool1D", "AvgPool2D" ->
                    pool(name, cls, cfg, in, Ops.PoolKind.AVG, cls.endsWith("1D") ? 1 : 2);
            case "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAvgPool1D", "GlobalAvgPool2D" ->
                    globalPool(name, cls, cfg, in, Ops.PoolKind.AVG, cls.endsWith("1D") ? 1 : 2);
            case "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPool1D", "GlobalMaxPool2D" ->
                    globalPool(name, cls, cfg, in, Ops.PoolKind.MAX, cls.endsWith("1D") ? 1 : 2);
            case "Flatten" -> flatten(name, cls, cfg, in);
            case "Reshape" -> reshape(name, cls, cfg, in);
            case "Permute" -> permute(name, cls, cfg, in);
            case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                    "GaussianDropout", "AlphaDropout", "ActivityRegularization" ->
                    // identity at inference (Keras applies them only when training=True)
                    add(name, cls, name, new Ops.Identity(), in);
            case "Add" -> merge(name, cls, in, Ops.BinaryKind.ADD);
            case "Multiply" -> merge(name, cls, in, Ops.BinaryKind.MUL);
            case "Subtract" -> {
                if (in.size() != 2) {
                    throw layerError(name, cls, "Subtract takes exactly 2 inputs, got " + in.size());
                }
                yield add(name, cls, name, new Ops.Binary(Ops.BinaryKind.SUB), in);
            }
            case "Concatenate" -> add(name, cls, name, new Ops.Concat(singleInt(name, cls, cfg.path("axis"), -1)), in);
            case "PReLU" -> prelu(name, cls, cfg, in);
            // keras/layers/activation/thresholded_relu.py: x * (x > theta), theta default 1.0
            case "ThresholdedReLU" -> add(name, cls, name,
                    new Ops.ThresholdedRelu((float) number(cfg, "theta", null, 1.0)), in);
            case "ZeroPadding1D", "ZeroPadding2D" -> zeroPadding(name, cls, cfg, in, cls.endsWith("1D") ? 1 : 2);
            case "UpSampling1D", "UpSampling2D" -> upSampling(name, cls, cfg, in, cls.endsWith("1D") ? 1 : 2);
            default -> throw new ModelException(where + ": layer '" + name + "' (" + cls + ") is not supported;"
                    + " supported Keras layers: " + String.join(", ", SUPPORTED));
        };
        outputOf.put(name, out);
        return out;
    }

    private String dense(String name, String cls, JsonNode cfg, List<String> in) {
        boolean useBias = cfg.path("use_bias").asBoolean(true);
        Map<String, Tensor> w = layerWeights(name, cls, useBias ? List.of("kernel", "bias") : List.of("kernel"));
        Tensor kernel = w.get("kernel");
        Tensor bias = useBias ? w.get("bias") : null;
        if (kernel.rank() != 2) {
            throw layerError(name, cls, "kernel must be 2-D [in, units], the file has " + kernel.shapeString());
        }
        int units = cfg.path("units").asInt(kernel.dim(1));
        if (kernel.dim(1) != units) {
            throw layerError(name, cls, "kernel " + kernel.shapeString() + " does not match units " + units);
        }
        int[] s = shapes.get(in.get(0));
        if (s[s.length - 1] != kernel.dim(0)) {
            throw layerError(name, cls, "kernel " + kernel.shapeString() + " expects " + kernel.dim(0)
                    + " input features but the layer receives shape " + shapeText(s));
        }
        String out = add(name, cls, name, new Ops.Dense(kernel, bias), in);
        return inlineActivation(name, cls, cfg, out);
    }

    private String conv(String name, String cls, JsonNode cfg, List<String> in, int r) {
        boolean useBias = cfg.path("use_bias").asBoolean(true);
        Map<String, Tensor> w = layerWeights(name, cls, useBias ? List.of("kernel", "bias") : List.of("kernel"));
        Tensor kernel = w.get("kernel");
        Tensor bias = useBias ? w.get("bias") : null;
        int groups = cfg.path("groups").asInt(1);
        checkKernel(name, cls, cfg, kernel, r);
        Layout layout = layout(name, cls, cfg);
        Op op = convOp(name, cls, cfg, in, r, Arrays.copyOf(kernel.shape(), r), kernel, bias, groups, layout);
        String out = add(name, cls, name, op, in);
        return inlineActivation(name, cls, cfg, out);
    }

    /**
     * DepthwiseConv: kernel [k..., cIn, multiplier]; output channel c*multiplier+m (TF depthwise_conv2d), which is
     * exactly a grouped convolution with groups = cIn and kernel [k..., 1, cIn*multiplier] (same memory order).
     */
    private String depthwise(String name, String cls, JsonNode cfg, List<String> in, int r) {
        boolean useBias = cfg.path("use_bias").asBoolean(true);
        Map<String, Tensor> w = layerWeights(name, cls,
                useBias ? List.of("depthwise_kernel", "bias") : List.of("depthwise_kernel"));
        Tensor dk = w.get("depthwise_kernel");
        if (dk.rank() != r + 2) {
            throw layerError(name, cls, "depthwise_kernel must be " + (r + 2) + "-D, the file has " + dk.shapeString());
        }
        Layout layout = layout(name, cls, cfg);
        String out = depthwiseNode(name, cls, cfg, in, r, dk, useBias ? w.get("bias") : null, name, layout);
        return inlineActivation(name, cls, cfg, out);
    }

    private String depthwiseNode(String name, String cls, JsonNode cfg, List<String> in, int r, Tensor dk,
                                 Tensor bias, String nodeName, Layout layout) {
        int cIn = dk.dim(r);
        int mult = dk.dim(r + 1);
        int[] ks = Arrays.copyOf(dk.shape(), r + 2);
        ks[r] = 1;
        ks[r + 1] = cIn * mult;
        Tensor kernel = dk.reshape(ks);
        Op op = convOp(name, cls, cfg, in, r, Arrays.copyOf(dk.shape(), r), kernel, bias, cIn, layout);
        return add(name, cls, nodeName, op, in);
    }

    /**
     * The Conv of a Keras convolution layer with kernel size {@code k}: strides, dilation and padding from
     * {@code cfg}; an error the IR raises names the layer.
     */
    private Op convOp(String name, String cls, JsonNode cfg, List<String> in, int r, int[] k, Tensor kernel,
                      Tensor bias, int groups, Layout layout) {
        int[] strides = ints(name, cls, cfg.path("strides"), r, 1, "strides");
        int[] dil = ints(name, cls, cfg.path("dilation_rate"), r, 1, "dilation_rate");
        int[][] pads = padding(name, cls, cfg, in.get(0), layout, k, strides, dil, r, true);
        try {
            return new Ops.Conv(kernel, bias, strides, dil, pads[0], pads[1], groups, layout);
        } catch (ModelException e) {
            throw layerError(name, cls, e.getMessage());
        }
    }

    /** SeparableConv = depthwise (strides, padding, dilation) then a 1x1 pointwise conv with the bias (Keras). */
    private String separable(String name, String cls, JsonNode cfg, List<String> in, int r) {
        boolean useBias = cfg.path("use_bias").asBoolean(true);
        Map<String, Tensor> w = layerWeights(name, cls, useBias
                ? List.of("depthwise_kernel", "pointwise_kernel", "bias") : List.of("depthwise_kernel", "pointwise_kernel"));
        Tensor dk = w.get("depthwise_kernel");
        Tensor pk = w.get("pointwise_kernel");
        if (dk.rank() != r + 2 || pk.rank() != r + 2) {
            throw layerError(name, cls, "depthwise/pointwise kernels must be " + (r + 2) + "-D, the file has "
                    + dk.shapeString() + " and " + pk.shapeString());
        }
        Layout layout = layout(name, cls, cfg);
        String dw = depthwiseNode(name, cls, cfg, in, r, dk, null, unique(name + "_depthwise"), layout);
        int[] ones = new int[r];
        Arrays.fill(ones, 1);
        Op op;
        try {
            op = new Ops.Conv(pk, useBias ? w.get("bias") : null, ones, ones, new int[r], new int[r], 1, layout);
        } catch (ModelException e) {
            throw layerError(name, cls, e.getMessage());
        }
        String out = add(name, cls, name, op, List.of(dw));
        return inlineActivation(name, cls, cfg, out);
    }

    private void checkKernel(String name, String cls, JsonNode cfg, Tensor kernel, int r) {
        if (kernel.rank() != r + 2) {
            throw layerError(name, cls, "kernel must be " + (r + 2) + "-D [" + (r == 1 ? "k" : "kh, kw")
                    + ", in, filters], the file has " + kernel.shapeString());
        }
        int[] ks = ints(name, cls, cfg.path("kernel_size"), r, -1, "kernel_size");
        for (int i = 0; i < r; i++) {
            if (ks[i] > 0 && ks[i] != kernel.dim(i)) {
                throw layerError(name, cls, "kernel " + kernel.shapeString() + " does not match kernel_size "
                        + Arrays.toString(ks));
            }
        }
        int filters = cfg.path("filters").asInt(kernel.dim(-1));
        if (filters != kernel.dim(-1)) {
            throw layerError(name, cls, "kernel " + kernel.shapeString() + " does not match filters " + filters);
        }
    }

    /**
     * Begin/end padding per spatial axis. "same" follows TensorFlow (tensorflow/core/framework/kernel_shape_util.cc
     * GetWindowedOutputSizeVerbose): out = ceil(in / stride), total = max((out - 1) * stride + effectiveK - in, 0),
     * begin = total / 2, end = total - begin, so an odd total puts the extra pixel at the end (bottom/right).
     * "causal" (Conv1D) pads (k - 1) * dilation at the start only.
     */
    private int[][] padding(String name, String cls, JsonNode cfg, String input, Layout layout, int[] k,
                            int[] strides, int[] dil, int r, boolean allowCausal) {
        String mode = cfg.path("padding").asText("valid").toLowerCase(java.util.Locale.ROOT);
        int[] s = shapes.get(input);
        if (s.length != r + 2) {
            throw layerError(name, cls, cls + " expects a rank-" + (r + 2) + " input (batch, "
                    + (r == 1 ? "steps" : "rows, cols") + ", channels), got shape " + shapeText(s));
        }
        int[] pb = new int[r];
        int[] pe = new int[r];
        switch (mode) {
            case "valid" -> {
            }
            case "same" -> {
                for (int i = 0; i < r; i++) {
                    int len = s[layout.spatialAxis(s.length, i)];
                    int out = (len + strides[i] - 1) / strides[i];
                    int eff = (k[i] - 1) * dil[i] + 1;
                    int total = Math.max((out - 1) * strides[i] + eff - len, 0);
                    pb[i] = total / 2;
                    pe[i] = total - pb[i];
                }
            }
            case "causal" -> {
                if (!allowCausal || r != 1) {
                    throw layerError(name, cls, "padding 'causal' is only defined for 1-D convolutions");
                }
                pb[0] = (k[0] - 1) * dil[0];
            }
            default -> throw layerError(name, cls, "padding '" + mode + "' is not supported (valid, same"
                    + (allowCausal ? ", causal" : "") + ")");
        }
        return new int[][] {pb, pe};
    }

    /**
     * Keras BatchNormalization in inference mode: gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta;
     * gamma is absent when scale=False (then 1), beta when center=False (then 0).
     */
    private String batchNorm(String name, String cls, JsonNode cfg, List<String> in) {
        boolean center = cfg.path("center").asBoolean(true);
        boolean scale = cfg.path("scale").asBoolean(true);
        List<String> roles = new ArrayList<>();
        if (scale) {
            roles.add("gamma");
        }
        if (center) {
            roles.add("beta");
        }
        roles.add("moving_mean");
        roles.add("moving_variance");
        Map<String, Tensor> w = layerWeights(name, cls, roles);
        Tensor mean = w.get("moving_mean");
        Tensor var = w.get("moving_variance");
        int c = mean.size();
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        Tensor gamma = scale ? w.get("gamma") : Tensor.of(ones, c);
        Tensor beta = center ? w.get("beta") : Tensor.zeros(c);
        int[] s = shapes.get(in.get(0));
        int axis = singleInt(name, cls, cfg.path("axis"), -1);
        int a = axis < 0 ? axis + s.length : axis;
        Layout layout;
        if (a == s.length - 1) {
            layout = Layout.CHANNELS_LAST;
        } else if (a == 1 && s.length > 2) {
            layout = Layout.CHANNELS_FIRST;
        } else {
            throw layerError(name, cls, "axis " + axis + " on input shape " + shapeText(s)
                    + " is not supported (only the channel axis: last, or 1 for channels-first)");
        }
        float eps = (float) cfg.path("epsilon").asDouble(1e-3);
        Op op;
        try {
            op = new Ops.BatchNorm(gamma.reshape(c), beta.reshape(c), mean.reshape(c), var.reshape(c), eps, layout);
        } catch (ModelException e) {
            throw layerError(name, cls, e.getMessage());
        }
        return add(name, cls, name, op, in);
    }

    private String pool(String name, String cls, JsonNode cfg, List<String> in, Ops.PoolKind kind, int r) {
        Layout layout = layout(name, cls, cfg);
        int[] k = ints(name, cls, cfg.path("pool_size"), r, 2, "pool_size");
        JsonNode st = cfg.path("strides");
        int[] strides = st.isMissingNode() || st.isNull() ? k.clone() : ints(name, cls, st, r, 1, "strides");
        int[] ones = new int[r];
        Arrays.fill(ones, 1);
        int[][] pads = padding(name, cls, cfg, in.get(0), layout, k, strides, ones, r, false);
        // TF average pooling with "same" divides by the number of real (unpadded) inputs in each window
        // (tensorflow/core/kernels/avgpooling_op.cc); max pooling ignores padded positions.
        Op op;
        try {
            op = new Ops.Pool(kind, k, strides, pads[0], pads[1], false, false, layout);
        } catch (ModelException e) {
            throw layerError(name, cls, e.getMessage());
        }
        return add(name, cls, name, op, in);
    }

    private String globalPool(String name, String cls, JsonNode cfg, List<String> in, Ops.PoolKind kind, int r) {
        Layout layout = layout(name, cls, cfg);
        int[] s = shapes.get(in.get(0));
        if (s.length != r + 2) {
            throw layerError(name, cls, cls + " expects a rank-" + (r + 2) + " input, got shape " + shapeText(s));
        }
        return add(name, cls, name, new Ops.GlobalPool(kind, layout, cfg.path("keepdims").asBoolean(false)), in);
    }

    /** Keras Flatten with data_format channels_first first moves channels last (keras/layers/core/flatten.py). */
    private String flatten(String name, String cls, JsonNode cfg, List<String> in) {
        int[] s = shapes.get(in.get(0));
        List<String> src = in;
        if ("channels_first".equals(cfg.path("data_format").asText()) && s.length > 2) {
            int[] perm = new int[s.length];
            perm[0] = 0;
            for (int i = 1; i < s.length - 1; i++) {
                perm[i] = i + 1;
            }
            perm[s.length - 1] = 1;
            src = List.of(add(name, cls, unique(name + "_to_channels_last"), new Ops.Transpose(perm), in));
        }
        return add(name, cls, name, new Ops.Flatten(1), src);
    }

    private String reshape(String name, String cls, JsonNode cfg, List<String> in) {
        JsonNode t = cfg.path("target_shape");
        if (!t.isArray()) {
            throw layerError(name, cls, "has no target_shape");
        }
        int[] shape = new int[t.size() + 1];
        shape[0] = 0; // copy the batch
        for (int i = 0; i < t.size(); i++) {
            shape[i + 1] = t.get(i).isNull() ? -1 : t.get(i).asInt();
            if (shape[i + 1] == 0) {
                throw layerError(name, cls, "target_shape " + t + " has a zero dimension");
            }
        }
        return add(name, cls, name, new Ops.Reshape(shape, false), in);
    }

    /** Keras Permute dims are 1-based over the non-batch axes. */
    private String permute(String name, String cls, JsonNode cfg, List<String> in) {
        JsonNode d = cfg.path("dims");
        int[] s = shapes.get(in.get(0));
        if (!d.isArray() || d.size() != s.length - 1) {
            throw layerError(name, cls, "dims " + d + " do not match input shape " + shapeText(s));
        }
        int[] perm = new int[s.length];
        for (int i = 0; i < d.size(); i++) {
            perm[i + 1] = d.get(i).asInt();
            if (perm[i + 1] < 1 || perm[i + 1] >= s.length) {
                throw layerError(name, cls, "dims " + d + " are not a permutation of 1.." + (s.length - 1));
            }
        }
        if (Arrays.stream(perm).distinct().count() != perm.length) {
            throw layerError(name, cls, "dims " + d + " are not a permutation of 1.." + (s.length - 1));
        }
        return add(name, cls, name, new Ops.Transpose(perm), in);
    }

    /** n-ary Add/Multiply as a chain of binary nodes; the last carries the layer's name. */
    private String merge(String name, String cls, List<String> in, Ops.BinaryKind kind) {
        if (in.size() < 2) {
            throw layerError(name, cls, cls + " needs at least 2 inputs, got " + in.size());
        }
        String acc = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            String nodeName = i == in.size() - 1 ? name : unique(name + "_" + i);
            acc = add(name, cls, nodeName, new Ops.Binary(kind), List.of(acc, in.get(i)));
        }
        return acc;
    }

    // ------------------------------------------------------------------ activations

    private String inlineActivation(String name, String cls, JsonNode cfg, String out) {
        JsonNode a = cfg.path("activation");
        Op op = activation(name, cls, a);
        if (op == null) {
            return out;
        }
        // hls4ml names the split-off activation "<layer>_<activation>" (hls4ml/converters/keras/core.py)
        return add(name, cls, unique(name + "_" + activationName(a)), op, List.of(out));
    }

    private static String activationName(JsonNode a) {
        if (a.isObject()) { // Keras 3 may serialise {"class_name": "function", "config": "relu", ...}
            JsonNode c = a.path("config");
            return c.isTextual() ? c.asText() : a.path("class_name").asText();
        }
        return a.isMissingNode() || a.isNull() ? "linear" : a.asText();
    }

    /** The op for a Keras activation name, or null for "linear". */
    private Op activation(String name, String cls, JsonNode a) {
        String act = activationName(a);
        return switch (act) {
            case "linear", "" -> null;
            case "relu" -> Ops.Activation.of(ActivationKind.RELU);
            case "relu6" -> new Ops.Activation(ActivationKind.CLIP, 0f, 6f);
            case "sigmoid" -> Ops.Activation.of(ActivationKind.SIGMOID);
            // Keras 2 hard_sigmoid is clip(0.2x + 0.5) (keras/backend.py); Keras 3 is relu6(x + 3) / 6
            case "hard_sigmoid" -> keras3 ? new Ops.Activation(ActivationKind.HARD_SIGMOID, 1f / 6f, 0.5f)
                    : new Ops.Activation(ActivationKind.HARD_SIGMOID, 0.2f, 0.5f);
            case "softmax" -> new Ops.Softmax(-1, false);
            case "tanh" -> Ops.Activation.of(ActivationKind.TANH);
            case "elu" -> new Ops.Activation(ActivationKind.ELU, 1f, 0f);
            case "selu" -> Ops.Activation.of(ActivationKind.SELU);
            // the function form (tf.nn.leaky_relu / keras.activations.leaky_relu) defaults to slope 0.2
            case "leaky_relu" -> new Ops.Activation(ActivationKind.LEAKY_RELU, 0.2f, 0f);
            case "softplus" -> Ops.Activation.of(ActivationKind.SOFTPLUS);
            case "softsign" -> Ops.Activation.of(ActivationKind.SOFTSIGN);
            default -> throw layerError(name, cls, "activation '" + act + "' is not supported; supported: "
                    + String.join(", ", ACTIVATIONS));
        };
    }

    /** Keras ReLU layer: max_value, negative_slope, threshold (keras/layers/activation/relu.py). */
    private Op relu(String name, String cls, JsonNode cfg) {
        JsonNode mv = cfg.path("max_value");
        double slope = cfg.path("negative_slope").asDouble(0);
        double threshold = cfg.path("threshold").asDouble(0);
        if (threshold != 0) {
            throw layerError(name, cls, "threshold " + threshold + " is not supported (only 0)");
        }
        boolean capped = mv.isNumber();
        if (capped && slope != 0) {
            throw layerError(name, cls, "max_value together with negative_slope is not supported");
        }
        if (capped) {
            return new Ops.Activation(ActivationKind.CLIP, 0f, (float) mv.asDouble());
        }
        if (slope != 0) {
            return new Ops.Activation(ActivationKind.LEAKY_RELU, (float) slope, 0f);
        }
        return Ops.Activation.of(ActivationKind.RELU);
    }

    // ------------------------------------------------------------------ plumbing

    private String add(String kerasName, String cls, String nodeName, Op op, List<String> in) {
        List<int[]> inShapes = new ArrayList<>();
        for (String s : in) {
            inShapes.add(shapes.get(s));
        }
        int[] out;
        try {
            out = op.outputShape(inShapes);
        } catch (ModelException e) {
            throw layerError(kerasName, cls, e.getMessage());
        } catch (RuntimeException e) {
            throw layerError(kerasName, cls, "its input shapes do not fit ("
                    + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")");
        }
        claim(nodeName);
        nodes.add(new Node(nodeName, op, in));
        shapes.put(nodeName, out);
        return nodeName;
    }

    private void claim(String nodeName) {
        if (!used.add(nodeName)) {
            throw new ModelException(where + ": two layers are named '" + nodeName + "'");
        }
    }

    private String unique(String base) {
        String n = base;
        for (int i = 1; used.contains(n) || reserved.contains(n); i++) {
            n = base + "_" + i;
        }
        return n;
    }

    /** The layer's weights by role, failing with the layer and the missing dataset named. */
    private Map<String, Tensor> layerWeights(String name, String cls, List<String> roles) {
        Map<String, Tensor> w = weights.layer(name);
        if (w == null || w.isEmpty()) {
            throw new ModelException(weights.fileName() + ": no weights for layer '" + name + "' (" + cls
                    + "): missing dataset '" + name + "/" + roles.get(0) + ":0'");
        }
        Map<String, Tensor> out = new HashMap<>();
        boolean byRole = roles.stream().allMatch(w::containsKey);
        if (byRole) {
            roles.forEach(r -> out.put(r, w.get(r)));
            return out;
        }
        List<String> missing = roles.stream().filter(r -> !w.containsKey(r)).toList();
        throw new ModelException(weights.fileName() + ": layer '" + name + "' (" + cls + ") is missing dataset '"
                + name + "/" + missing.get(0) + ":0' (the file has " + w.keySet() + ")");
    }

    private Layout layout(String name, String cls, JsonNode cfg) {
        String df = cfg.path("data_format").asText("channels_last");
        return switch (df) {
            case "channels_last", "null" -> Layout.CHANNELS_LAST;
            case "channels_first" -> Layout.CHANNELS_FIRST;
            default -> throw layerError(name, cls, "data_format '" + df + "' is not supported");
        };
    }

    private int[] ints(String name, String cls, JsonNode n, int r, int dflt, String what) {
        int[] o = new int[r];
        if (n.isMissingNode() || n.isNull()) {
            Arrays.fill(o, dflt);
        } else if (n.isNumber()) {
            Arrays.fill(o, n.asInt());
        } else if (n.isArray() && n.size() == r) {
            for (int i = 0; i < r; i++) {
                o[i] = n.get(i).asInt();
            }
        } else {
            throw layerError(name, cls, what + " " + n + " must have " + r + " value" + (r == 1 ? "" : "s"));
        }
        for (int v : o) {
            if (v == 0 || v < -1) {
                throw layerError(name, cls, what + " " + n + " must be positive");
            }
        }
        return o;
    }

    private int singleInt(String name, String cls, JsonNode n, int dflt) {
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (n.isNumber()) {
            return n.asInt();
        }
        if (n.isArray() && n.size() == 1 && n.get(0).isNumber()) {
            return n.get(0).asInt();
        }
        throw layerError(name, cls, "axis " + n + " is not supported (a single axis only)");
    }

    private static double number(JsonNode cfg, String key, String altKey, double dflt) {
        JsonNode v = cfg.path(key);
        if (!v.isNumber() && altKey != null) {
            v = cfg.path(altKey);
        }
        return v.isNumber() ? v.asDouble() : dflt;
    }

    private ModelException layerError(String name, String cls, String msg) {
        return new ModelException(where + ": layer '" + name + "' (" + cls + "): " + msg);
    }

    /** A shape for messages, without the batch axis (as Keras prints it: (None, ...)). */
    private static String shapeText(int[] s) {
        StringBuilder sb = new StringBuilder("(None");
        for (int i = 1; i < s.length; i++) {
            sb.append(", ").append(s[i] < 0 ? "None" : String.valueOf(s[i]));
        }
        return sb.append(')').toString();
    }

    // ------------------------------------------------------------------ layers added for issue 13

    /**
     * Keras PReLU (keras/layers/activation/prelu.py): alpha has the input's shape without the batch, with the
     * shared axes (1-based) of size 1; y = x for x &gt;= 0, alpha * x below.
     */
    private String prelu(String name, String cls, JsonNode cfg, List<String> in) {
        Tensor alpha = layerWeights(name, cls, List.of("alpha")).get("alpha");
        int[] s = shapes.get(in.get(0));
        int[] want = Arrays.copyOfRange(s, 1, s.length);
        for (JsonNode a : cfg.path("shared_axes")) {
            int ax = a.asInt(0);
            if (ax >= 1 && ax <= want.length) {
                want[ax - 1] = 1;
            }
        }
        if (alpha.size() != Tensor.numel(want)) {
            throw layerError(name, cls, "alpha " + alpha.shapeString() + " does not fit input " + shapeText(s)
                    + " with shared_axes " + cfg.path("shared_axes"));
        }
        return add(name, cls, name, new Ops.PRelu(alpha.reshape(want)), in);
    }

    /**
     * ZeroPadding1D: padding int or (left, right); ZeroPadding2D: int, (rows, cols) symmetric, or
     * ((top, bottom), (left, right)) (keras/layers/reshaping/zero_padding2d.py). Zeros on the spatial axes only.
     */
    private String zeroPadding(String name, String cls, JsonNode cfg, List<String> in, int r) {
        JsonNode p = cfg.path("padding");
        int[][] be = new int[r][2];
        if (p.isMissingNode() || p.isNull()) {
            for (int[] x : be) {
                x[0] = 1;
                x[1] = 1;
            }
        } else if (p.isNumber()) {
            for (int[] x : be) {
                x[0] = p.asInt();
                x[1] = p.asInt();
            }
        } else if (p.isArray() && r == 1 && p.size() == 2 && p.get(0).isNumber()) {
            be[0][0] = p.get(0).asInt();
            be[0][1] = p.get(1).asInt();
        } else if (p.isArray() && r == 2 && p.size() == 2) {
            for (int i = 0; i < 2; i++) {
                JsonNode e = p.get(i);
                if (e.isNumber()) {
                    be[i][0] = e.asInt();
                    be[i][1] = e.asInt();
                } else if (e.isArray() && e.size() == 2) {
                    be[i][0] = e.get(0).asInt();
                    be[i][1] = e.get(1).asInt();
                } else {
                    throw layerError(name, cls, "padding " + p + " is not understood");
                }
            }
        } else {
            throw layerError(name, cls, "padding " + p + " is not understood");
        }
        int[] s = shapes.get(in.get(0));
        if (s.length != r + 2) {
            throw layerError(name, cls, cls + " expects a rank-" + (r + 2) + " input, got shape " + shapeText(s));
        }
        Layout layout = layout(name, cls, cfg);
        int[] begin = new int[s.length];
        int[] end = new int[s.length];
        for (int i = 0; i < r; i++) {
            if (be[i][0] < 0 || be[i][1] < 0) {
                throw layerError(name, cls, "padding " + p + " must not be negative");
            }
            int ax = layout.spatialAxis(s.length, i);
            begin[ax] = be[i][0];
            end[ax] = be[i][1];
        }
        return add(name, cls, name, new Ops.Pad(begin, end, Ops.PadMode.CONSTANT, 0f), in);
    }

    /**
     * UpSampling1D (size, repeats each step) and UpSampling2D (size, interpolation nearest or bilinear, data_format)
     * (keras/layers/reshaping/up_sampling2d.py; bilinear is tf.image.resize with half-pixel centres).
     */
    private String upSampling(String name, String cls, JsonNode cfg, List<String> in, int r) {
        int[] size = ints(name, cls, cfg.path("size"), r, 2, "size");
        String interp = cfg.path("interpolation").asText("nearest");
        if (!interp.equals("nearest") && !interp.equals("bilinear")) {
            throw layerError(name, cls, "interpolation '" + interp + "' is not supported (nearest, bilinear)");
        }
        Layout layout = r == 1 ? Layout.CHANNELS_LAST : layout(name, cls, cfg);
        Op op;
        try {
            op = new Ops.Upsample(size, interp.equals("bilinear"), layout);
        } catch (ModelException e) {
            throw layerError(name, cls, e.getMessage());
        }
        return add(name, cls, name, op, in);
    }
}
