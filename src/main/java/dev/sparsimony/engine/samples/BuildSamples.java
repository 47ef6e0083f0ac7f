package dev.sparsimony.engine.samples;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.metric.Accuracy;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.train.EpochStats;
import dev.sparsimony.engine.train.ProgressListener;
import dev.sparsimony.engine.train.TrainConfig;
import dev.sparsimony.engine.train.TrainResult;
import dev.sparsimony.engine.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Regenerates the bundled sample models in {@code sample-models/}: synthetic data, deterministic training, the
 * models in the project format with their {@code validation.npz} and a README each. Every number is fixed by the
 * seeds below, so a rerun writes the same files.
 *
 * <pre>mvn -o -q compile exec:java -Dexec.mainClass=dev.sparsimony.engine.samples.BuildSamples -Dexec.args=sample-models</pre>
 */
public final class BuildSamples {
    /** What makes one sample: data sizes and seeds, and the training settings. */
    record Recipe(String name, String title, String dataDescription, int trainSize, int validationSize,
                  long trainDataSeed, long validationDataSeed, long initSeed, TrainConfig config,
                  List<String> classNames) {
    }

    /** One built sample, for the summary. */
    public record Built(String name, double validationAccuracy, double baselineAccuracy, long parameters,
                        double trainSeconds, long bytes) {
    }

    // hls4ml trains the jet MLP with Adam and batches of 1024 on ~630k jets; with 60k synthetic jets a smaller
    // batch converges in fewer passes. L2 1e-4 on kernels as in hls4ml's jet-tagging training configuration.
    static final Recipe JET = new Recipe("jet-mlp", "Jet-tagging MLP (16-64-32-32-5) on synthetic LHC jets",
            "synthetic jets from `JetGenerator` (16 standardised features named like the hls4ml jet-tagging data, "
                    + "5 balanced classes g, q, W, Z, t; class-dependent latent masses, prong ratios, widths and "
                    + "multiplicities plus class-dependent correlations, mapped non-linearly to the features, "
                    + "with a jet-energy-scale smearing and noise)",
            60_000, 10_000, 1001, 1002, 1003,
            new TrainConfig(20, 256, 1e-3, 0.9, 0.999, 1e-7, 1e-4, 1004), JetGenerator.CLASS_NAMES);

    static final Recipe DIGITS = new Recipe("digits-cnn", "Small CNN on procedurally rendered 28x28 digits",
            "procedural digits from `DigitGenerator` (28x28x1 channels-last, values k/255 in [0, 1], white on "
                    + "black like MNIST pixel/255; stroke glyphs with random affine jitter, stroke thickness, "
                    + "blur, ink level and noise; 10 balanced classes)",
            10_000, 1_000, 2001, 2002, 2003,
            new TrainConfig(8, 64, 1e-3, 0.9, 0.999, 1e-7, 0, 2004),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

    // hls4ml's SVHN tutorial trains with Adam 3e-3 for 30 epochs on 73k digits; on 20k generated ones 12 epochs of
    // Adam 2e-3 converge. Batch norms train (batch statistics), as in Keras.
    static final Recipe SVHN = new Recipe("svhn-cnn",
            "hls4ml's SVHN CNN (Aarrestad et al. 2021) on generated 32x32 colour digits",
            "house-number-like digits from `HouseDigitGenerator` (32x32x3 channels-last, RGB values k/255 in [0, 1]; "
                    + "a random background colour with shading, a digit colour of different luminance, the labelled "
                    + "glyph centred and parts of its neighbours at the edges, affine jitter, stroke width, blur and "
                    + "noise; 10 balanced classes)",
            20_000, 1_000, 3001, 3002, 3003,
            new TrainConfig(12, 64, 2e-3, 0.9, 0.999, 1e-7, 0, 3004, true),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

    static final Recipe MOBILE = new Recipe("mobile-cnn",
            "MobileNetV2-style CNN (three inverted residual blocks, ReLU6) on generated 32x32 colour digits",
            SVHN.dataDescription(), 20_000, 1_000, 3001, 3002, 4003,
            new TrainConfig(12, 64, 2e-3, 0.9, 0.999, 1e-7, 0, 4004, true),
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

    static final String COMMAND = "mvn -o -q compile exec:java -Dexec.mainClass=dev.sparsimony.engine.samples.BuildSamples"
            + " -Dexec.args=sample-models";

    private BuildSamples() {
    }

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "sample-models");
        try {
            List<Built> built = build(out, System.out::println,
                    java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
            for (Built b : built) {
                System.out.printf(Locale.ROOT, "%s: validation accuracy %.2f %%, trained in %.1f s, %d bytes%n",
                        b.name(), 100 * b.validationAccuracy(), b.trainSeconds(), b.bytes());
            }
        } catch (ModelException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static final List<Recipe> RECIPES = List.of(JET, DIGITS, SVHN, MOBILE);

    /**
     * Builds the samples named in {@code only} (all when empty) into {@code out} and writes its README;
     * {@code log} receives progress lines.
     */
    public static List<Built> build(Path out, Consumer<String> log, String... only) {
        List<Built> built = new ArrayList<>();
        for (Recipe r : RECIPES) {
            if (only.length == 0 || List.of(only).contains(r.name())) {
                built.add(buildOne(out, r, log));
            }
        }
        writeText(out.resolve("README.md"), topReadme(out));
        return built;
    }

    private static Dataset data(Recipe r, String split, int n, long seed) {
        String name = r.name() + "-" + split;
        return switch (r.name()) {
            case "jet-mlp" -> JetGenerator.generate(name, n, seed);
            case "digits-cnn" -> DigitGenerator.generate(name, n, seed);
            default -> HouseDigitGenerator.generate(name, n, seed);
        };
    }

    private static Model fresh(Recipe r, Map<String, String> md) {
        return switch (r.name()) {
            case "jet-mlp" -> SampleModels.jetMlp(r.initSeed(), md);
            case "digits-cnn" -> SampleModels.digitsCnn(r.initSeed(), md);
            case "svhn-cnn" -> SampleModels.svhnCnn(r.initSeed(), md);
            default -> SampleModels.mobileCnn(r.initSeed(), md);
        };
    }

    private static Built buildOne(Path out, Recipe r, Consumer<String> log) {
        log.accept(r.name() + ": generating " + r.trainSize() + " training and " + r.validationSize()
                + " validation samples");
        Dataset train = data(r, "train", r.trainSize(), r.trainDataSeed());
        Dataset val = data(r, "validation", r.validationSize(), r.validationDataSeed());
        Map<String, String> md = new LinkedHashMap<>();
        md.put("description", r.title());
        md.put("source", "Sparsimony BuildSamples (synthetic data, deterministic training); see README.md");
        md.put("classes", String.join(",", r.classNames()));
        Model init = fresh(r, md);
        long t0 = System.nanoTime();
        TrainResult res = Trainer.train(init, train, val, r.config(), null, new ProgressListener() {
            @Override
            public void onEpoch(EpochStats s) {
                log.accept(String.format(Locale.ROOT, "%s: epoch %d/%d loss %.4f accuracy %.4f validation %.4f",
                        r.name(), s.epoch(), r.config().epochs(), s.trainLoss(), s.trainAccuracy(),
                        s.validationAccuracy()));
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        return finish(out, r, res.model(), res.last(), train, val, seconds, log);
    }

    /** Everything after training: accuracy, files, README (with the sample's extra sections) and space. */
    static Built finish(Path out, Recipe r, Model model, EpochStats last, Dataset train, Dataset val, double seconds,
                        Consumer<String> log) {
        int classes = r.classNames().size();
        Tensor outputs = Inference.predict(model, val.x());
        double acc = Accuracy.top1(outputs.data(), classes, val.labels());
        double baseline = Double.NaN;
        if (r == JET) {
            Model lin = SampleModels.jetLinear(r.initSeed());
            Model trainedLin = Trainer.train(lin, train, r.config().withLearningRate(1e-2), null, null).model();
            baseline = Accuracy.top1(Inference.predict(trainedLin, val.x()).data(), classes, val.labels());
            log.accept(String.format(Locale.ROOT, "%s: linear baseline %.4f", r.name(), baseline));
        }
        Path dir = out.resolve(r.name());
        ProjectFormat.write(model, dir);
        ProjectFormat.writeValidationData(dir, val.x(), val.labels());
        int[][] confusion = confusion(outputs.data(), classes, val.labels());
        String extra = switch (r.name()) {
            case "svhn-cnn" -> SampleReports.hardware(model);
            case "mobile-cnn" -> SampleReports.depthShrink(model, train, val, r.config(), log);
            default -> "";
        };
        writeText(dir.resolve("README.md"), modelReadme(r, model, acc, last, baseline, confusion) + extra);
        if (r == SVHN || r == MOBILE) {
            writeText(dir.resolve("space.json"), SampleReports.space(r.name()));
        }
        return new Built(r.name(), acc, baseline, model.parameterCount(), seconds, size(dir));
    }

    static int[][] confusion(float[] outputs, int classes, int[] labels) {
        int[][] m = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            m[labels[i]][Accuracy.predicted(outputs, i, classes)]++;
        }
        return m;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    private static String modelReadme(Recipe r, Model m, double acc, EpochStats last, double baseline,
                                      int[][] confusion) {
        TrainConfig c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.name()).append("\n\n").append(r.title()).append(
                ". Made by Sparsimony itself from synthetic data: no download, no external training framework.\n\n");
        sb.append("## Files\n\n");
        sb.append("- `model.json` + `*.npy`: the model in Sparsimony's project format (").append(m.nodes().size())
                .append(" layers, ").append(m.parameterCount()).append(" weights). Input `")
                .append(m.inputs().get(0).name()).append("` of shape ")
                .append(java.util.Arrays.toString(m.inputs().get(0).shape())).append(".\n");
        sb.append("- `validation.npz`: the validation set, `x` float32 [").append(r.validationSize());
        int[] s = m.inputs().get(0).shape();
        for (int i = 1; i < s.length; i++) {
            sb.append(", ").append(s[i]);
        }
        sb.append("], `y` int64 [").append(r.validationSize()).append("] class indices (")
                .append(String.join(", ", r.classNames())).append(").\n\n");
        sb.append("## Layers\n\n| layer | type | output shape |\n|---|---|---|\n");
        Map<String, int[]> shapes = m.inferShapes(1);
        for (var n : m.nodes()) {
            int[] os = shapes.get(n.name());
            sb.append("| ").append(n.name()).append(" | ").append(n.op().kind()).append(" | ")
                    .append(java.util.Arrays.toString(java.util.Arrays.copyOfRange(os, 1, os.length)))
                    .append(" |\n");
        }
        sb.append("\n## How it was made\n\n");
        sb.append("Regenerate (from the repository root; rewrites every sample identically, or only the ones named")
                .append(" after the folder):\n\n```\n").append(COMMAND).append("\n```\n\n");
        sb.append("- Data: ").append(r.dataDescription()).append(".\n");
        sb.append("- Training set: ").append(r.trainSize()).append(" samples, data seed ").append(r.trainDataSeed())
                .append("; validation set: ").append(r.validationSize()).append(" samples, data seed ")
                .append(r.validationDataSeed()).append(".\n");
        sb.append("- Initial weights: Glorot uniform kernels, zero biases, seed ").append(r.initSeed())
                .append(c.trainBatchNorm() ? "; batch norms start at gamma 1, beta 0, mean 0, variance 1" : "")
                .append(".\n");
        sb.append("- Training (`dev.sparsimony.engine.train.Trainer`): softmax cross-entropy, Adam (learning rate ")
                .append(c.learningRate()).append(", beta1 ").append(c.beta1()).append(", beta2 ").append(c.beta2())
                .append(", epsilon ").append(c.epsilon()).append("), ").append(c.epochs()).append(" epochs, batch ")
                .append(c.batchSize()).append(", L2 on kernels ").append(c.l2()).append(", shuffle seed ")
                .append(c.seed()).append(c.trainBatchNorm() ? "; batch norms trained on batch statistics (moving "
                        + "averages with momentum 0.99, Keras' rule)" : "").append(".\n\n");
        sb.append("## Results\n\n");
        sb.append("- Validation accuracy (top-1, engine inference `Inference.predict` + `Accuracy.top1`): **")
                .append(pct(acc)).append("**\n");
        if (last != null) {
            sb.append("- Last epoch: training loss ").append(String.format(Locale.ROOT, "%.4f", last.trainLoss()))
                    .append(", training accuracy ").append(pct(last.trainAccuracy())).append(".\n");
        }
        if (!Double.isNaN(baseline)) {
            sb.append("- Linear baseline (softmax regression 16 -> 5 on the same data, same settings, learning rate"
                    + " 0.01): ").append(pct(baseline)).append(". The gap shows that the classes are separated "
                    + "non-linearly. For comparison, hls4ml's model reaches about 75 % on the real jet data.\n");
        }
        sb.append("\nConfusion matrix on the validation set (rows: true class, columns: predicted):\n\n| |");
        for (String cn : r.classNames()) {
            sb.append(' ').append(cn).append(" |");
        }
        sb.append("\n|---|");
        sb.append("---|".repeat(r.classNames().size()));
        sb.append('\n');
        for (int i = 0; i < confusion.length; i++) {
            sb.append("| **").append(r.classNames().get(i)).append("** |");
            for (int j = 0; j < confusion.length; j++) {
                sb.append(' ').append(confusion[i][j]).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The samples' table, from the READMEs in {@code out} (so building one sample keeps the others' rows). */
    private static String topReadme(Path out) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Sample models\n\n");
        sb.append("Small models that Sparsimony made itself, with their validation data, so that every feature ")
                .append("can be tried without bringing a model. Each folder is a model in the project format ")
                .append("(`model.json` + `.npy` tensors) with `validation.npz` beside it (picked up automatically), ")
                .append("a README telling how it was made and an example search space (`space.json`).\n\n");
        sb.append("| model | what | weights | validation samples | validation accuracy |\n|---|---|---|---|---|\n");
        for (Recipe r : RECIPES) {
            Path readme = out.resolve(r.name()).resolve("README.md");
            if (!Files.isRegularFile(readme)) {
                continue;
            }
            String text;
            try {
                text = Files.readString(readme, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ModelException("cannot read " + readme + ": " + e.getMessage(), e);
            }
            java.util.regex.Matcher acc = java.util.regex.Pattern.compile("\\*\\*(\\d+\\.\\d\\d %)\\*\\*").matcher(text);
            java.util.regex.Matcher w = java.util.regex.Pattern.compile("layers, (\\d+) weights").matcher(text);
            sb.append("| [").append(r.name()).append("](").append(r.name()).append("/README.md) | ")
                    .append(r.title()).append(" | ").append(w.find() ? w.group(1) : "?").append(" | ")
                    .append(r.validationSize()).append(" | ").append(acc.find() ? acc.group(1) : "?").append(" |\n");
        }
        sb.append("\nThe data are synthetic (no download): `dev.sparsimony.engine.samples.JetGenerator` imitates the ")
                .append("hls4ml LHC jet-tagging features, `DigitGenerator` renders MNIST-like digits and ")
                .append("`HouseDigitGenerator` SVHN-like colour digits. Everything is seeded and the trainer is ")
                .append("deterministic, so regenerating rewrites identical files (name samples after the folder to ")
                .append("build only those):\n\n```\n")
                .append(COMMAND).append("\n```\n\n")
                .append("(run from the repository root; jet-mlp and digits-cnn take a few minutes on 2 cores, svhn-cnn")
                .append(" and mobile-cnn about half an hour each).\n");
        return sb.toString();
    }

    private static long size(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void writeText(Path file, String text) {
        dev.sparsimony.engine.io.AtomicFiles.write(file, text);
    }
}
