package dev.sparsimony.engine.samples;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.train.SequentialBuilder;
import dev.sparsimony.engine.train.SequentialBuilder.Padding;
import java.util.Map;

/** The architectures of the bundled sample models, freshly initialised (Glorot uniform, zero biases). */
public final class SampleModels {
    private SampleModels() {
    }

    /**
     * The hls4ml jet-tagging MLP 16-64-32-32-5 ("three_layer" model of Duarte et al. 2018 and of hls4ml's
     * example-models KERAS_3layer), with the Keras layer names of that model.
     */
    public static Model jetMlp(long seed, Map<String, String> metadata) {
        return SequentialBuilder.input("input_1", JetGenerator.FEATURES)
                .dense("fc1", 64).relu("relu1")
                .dense("fc2", 32).relu("relu2")
                .dense("fc3", 32).relu("relu3")
                .dense("output", JetGenerator.CLASSES).softmax("softmax")
                .build("jet-mlp", seed, metadata);
    }

    /** A softmax-regression baseline on the jet features (shows the data need a non-linear model). */
    public static Model jetLinear(long seed) {
        return SequentialBuilder.input("input_1", JetGenerator.FEATURES)
                .dense("output", JetGenerator.CLASSES).softmax("softmax")
                .build("jet-linear", seed);
    }

    /**
     * A small channels-last CNN for 28 x 28 digits: Conv2D 3x3x8 ReLU, MaxPool 2x2, Conv2D 3x3x16 ReLU, MaxPool 2x2,
     * Flatten, Dense 32 ReLU, Dense 10 softmax; 'valid' padding keeps it light (14,410 weights).
     */
    public static Model digitsCnn(long seed, Map<String, String> metadata) {
        return SequentialBuilder.input("input_1", DigitGenerator.SIZE, DigitGenerator.SIZE, 1)
                .conv2d("conv1", 8, 3, Padding.VALID).relu("relu1").maxPool2d("pool1", 2)
                .conv2d("conv2", 16, 3, Padding.VALID).relu("relu2").maxPool2d("pool2", 2)
                .flatten("flatten")
                .dense("fc1", 32).relu("relu3")
                .dense("output", DigitGenerator.CLASSES).softmax("softmax")
                .build("digits-cnn", seed, metadata);
    }

    /**
     * The SVHN CNN of hls4ml (Aarrestad et al., "Fast convolutional neural networks on FPGAs with hls4ml", Mach.
     * Learn.: Sci. Technol. 2 (2021) 045015; hls4ml tutorial part 6), with its layer names: three blocks Conv2D 3x3
     * 'valid' without bias (16, 16, 24 filters) → BatchNorm → ReLU → MaxPool 2x2, Flatten, Dense 42 and 64 without
     * bias, each → BatchNorm → ReLU, Dense 10 → softmax; input 32 x 32 x 3.
     */
    public static Model svhnCnn(long seed, Map<String, String> metadata) {
        SequentialBuilder b = SequentialBuilder.input("input_1", HouseDigitGenerator.SIZE, HouseDigitGenerator.SIZE,
                HouseDigitGenerator.CHANNELS);
        int[] filters = {16, 16, 24};
        for (int i = 0; i < filters.length; i++) {
            b.conv2d("conv_" + i, filters[i], 3, 1, Padding.VALID, false).batchNorm("bn_conv_" + i)
                    .relu("conv_act_" + i).maxPool2d("pool_" + i, 2);
        }
        b.flatten("flatten");
        int[] units = {42, 64};
        for (int i = 0; i < units.length; i++) {
            b.dense("dense_" + i, units[i], false).batchNorm("bn_dense_" + i).relu("dense_act_" + i);
        }
        return b.dense("output_dense", HouseDigitGenerator.CLASSES).softmax("output_softmax")
                .build("svhn-cnn", seed, metadata);
    }

    /**
     * A small MobileNetV2 (Sandler et al., CVPR 2018) for 32 x 32 colour digits: a 3x3 stride-2 stem conv → BN →
     * ReLU6; three inverted residual blocks (1x1 expand x4 → BN → ReLU6 → depthwise 3x3 → BN → ReLU6 → 1x1 project
     * → BN, linear bottleneck, with the skip Add where stride is 1 and the channels match): 16 → 16 (skip), 16 → 24
     * (stride 2), 24 → 24 (skip); a 1x1 head conv to 64 → BN → ReLU6, global average pooling, Dense 10 → softmax.
     * The blocks are DepthShrinker's targets, named by their expand convs b1_expand, b2_expand, b3_expand.
     */
    public static Model mobileCnn(long seed, Map<String, String> metadata) {
        SequentialBuilder b = SequentialBuilder.input("input_1", HouseDigitGenerator.SIZE, HouseDigitGenerator.SIZE,
                HouseDigitGenerator.CHANNELS);
        b.conv2d("stem", 16, 3, 2, Padding.SAME, false).batchNorm("stem_bn").relu6("stem_relu");
        invertedResidual(b, "b1", 16, 4, 1);
        invertedResidual(b, "b2", 24, 4, 2);
        invertedResidual(b, "b3", 24, 4, 1);
        b.conv2d("head", 64, 1, 1, Padding.VALID, false).batchNorm("head_bn").relu6("head_relu");
        return b.globalAvgPool("pool").dense("output_dense", HouseDigitGenerator.CLASSES).softmax("output_softmax")
                .build("mobile-cnn", seed, metadata);
    }

    private static void invertedResidual(SequentialBuilder b, String name, int out, int expansion, int stride) {
        String in = b.last();
        int c = b.channels();
        b.conv2d(name + "_expand", c * expansion, 1, 1, Padding.VALID, false).batchNorm(name + "_expand_bn")
                .relu6(name + "_expand_relu")
                .depthwiseConv2d(name + "_dw", 3, stride, Padding.SAME, false).batchNorm(name + "_dw_bn")
                .relu6(name + "_dw_relu")
                .conv2d(name + "_project", out, 1, 1, Padding.VALID, false).batchNorm(name + "_project_bn");
        if (stride == 1 && c == out) {
            b.add(name + "_add", in);
        }
    }
}
