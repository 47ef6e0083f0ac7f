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
}
