package dev.sparsimony.fuzz;

import dev.sparsimony.cli.SparsimonyCli;
import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.DataOptions;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.report.LayerSummary;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** The formats the fuzzer damages: every file format Sparsimony reads today. Add a format with one more line. */
final class FuzzFormats {
    private FuzzFormats() {
    }

    static final List<FuzzFormat> ALL = List.of(
            new ModelFormat("onnx", dir -> List.of(
                    FuzzFormat.Seed.of("cnn", Files.write(dir.resolve("cnn.onnx"), Seeds.onnxCnn())),
                    FuzzFormat.Seed.of("qonnx", Files.write(dir.resolve("tfc.onnx"), Seeds.onnxQonnx())),
                    FuzzFormat.Seed.of("qlinear", Files.write(dir.resolve("q.onnx"), Seeds.onnxQLinear()))), false),
            new ModelFormat("keras-h5", dir -> {
                Path h5 = dir.resolve("cnn.h5");
                Seeds.writeKerasH5(h5, Seeds.KERAS_CNN);
                return List.of(FuzzFormat.Seed.of("full model", h5));
            }, false),
            new ModelFormat("keras-json", dir -> {
                Path json = Files.writeString(dir.resolve("net.json"), Seeds.KERAS_CNN);
                Seeds.writeKerasH5(dir.resolve("net_weights.h5"), null);
                return List.of(FuzzFormat.Seed.of("architecture", json));
            }, true),
            new ModelFormat("keras-weights", dir -> {
                Path json = Files.writeString(dir.resolve("net.json"), Seeds.KERAS_CNN);
                Path w = dir.resolve("net_weights.h5");
                Seeds.writeKerasH5(w, null);
                return List.of(new FuzzFormat.Seed("weights beside the JSON", w, json));
            }, false),
            new ModelFormat("project-manifest", dir -> {
                Path m = dir.resolve("model");
                Seeds.writeProject(m);
                return List.of(new FuzzFormat.Seed("model.json", m.resolve("model.json"), m));
            }, true),
            new ModelFormat("project-tensor", dir -> {
                Path m = dir.resolve("model");
                Seeds.writeProject(m);
                return List.of(new FuzzFormat.Seed("fc_kernel.npy", m.resolve("fc_kernel.npy"), m),
                        new FuzzFormat.Seed("conv_kernel.npy", m.resolve("conv_kernel.npy"), m));
            }, false),
            new DataFormat("npy", dir -> {
                Path p = dir.resolve("x.npy");
                Npy.write(p, NpyArray.ofFloats(Tensor.of(Seeds.ramp(24, 0.5f), 3, 2, 4)));
                Path f = dir.resolve("x_fortran.npy");
                try (OutputStream o = Files.newOutputStream(f)) {
                    Npy.write(o, NpyArray.ofFloats(Tensor.of(Seeds.ramp(12, 1f), 3, 4)), true);
                }
                Npy.write(dir.resolve("y.npy"), NpyArray.ofInts(new int[] {0, 1, 2}));
                return List.of(FuzzFormat.Seed.of("x.npy", p), FuzzFormat.Seed.of("fortran", f),
                        FuzzFormat.Seed.of("labels", dir.resolve("y.npy")));
            }, true),
            new DataFormat("npz", dir -> {
                Map<String, NpyArray> m = new LinkedHashMap<>();
                m.put("x", NpyArray.ofFloats(Tensor.of(Seeds.ramp(40, 0.25f), 4, 10)));
                m.put("y", NpyArray.ofInts(new int[] {0, 1, 1, 0}));
                Path p = dir.resolve("validation.npz");
                Npz.write(p, m);
                return List.of(FuzzFormat.Seed.of("validation.npz", p));
            }, false),
            new DataFormat("csv", dir -> List.of(FuzzFormat.Seed.of("csv", Files.writeString(dir.resolve("d.csv"),
                    "a,b,c,label\n0.5,1,-2,0\n1e-3,2.5,3,1\n4,5,6,2\n"))), true),
            new DataFormat("dat", dir -> List.of(FuzzFormat.Seed.of("dat", Files.writeString(dir.resolve("in.dat"),
                    "0.1 0.2 0.3 0.4\n-1 2 -3 4\n5e-2 6 7 8\n"))), true),
            new DataFormat("idx", dir -> {
                Path img = dir.resolve("t10k-images-idx3-ubyte.gz");
                Path lab = dir.resolve("t10k-labels-idx1-ubyte.gz");
                writeIdx(img, 2051, new int[] {3, 4, 4});
                writeIdx(lab, 2049, new int[] {3});
                Path plain = dir.resolve("plain-images-idx3-ubyte");
                ByteBuffer b = ByteBuffer.allocate(16 + 2 * 9).putInt(2051).putInt(2).putInt(3).putInt(3);
                Files.write(plain, b.array());
                return List.of(FuzzFormat.Seed.of("gzip images", img), new FuzzFormat.Seed("gzip labels", lab, img),
                        FuzzFormat.Seed.of("plain", plain));
            }, false),
            new DesignPointFormat(),
            new SearchSpaceFormat(),
            new SweepResultsFormat());

    static void writeIdx(Path p, int magic, int[] dims) throws java.io.IOException {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + n).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < n; i++) {
            b.put((byte) (magic == 2049 ? i % 10 : i * 13));
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(b.array());
        }
    }

    interface SeedMaker {
        List<FuzzFormat.Seed> make(Path dir) throws Exception;
    }

    /**
     * A model file: loaded as {@code info} and {@code predict} use it (layer table, then one run on a sample of
     * zeros when the input is of a sane size).
     */
    record ModelFormat(String name, SeedMaker maker, boolean isText) implements FuzzFormat {
        @Override
        public List<Seed> seeds(Path dir) throws Exception {
            return maker.make(dir);
        }

        @Override
        public boolean text(Seed seed) {
            return isText;
        }

        @Override
        public void load(Path path) {
            Model m = ModelFiles.load(path, NonFinite.Policy.ALLOW);
            LayerSummary.of(m);
            Map<String, Tensor> feed = new HashMap<>();
            for (ValueInfo v : m.inputs()) {
                int[] s = v.shapeWithBatch(2);
                if (s.length == 0 || Tensor.numel(s) > 1 << 20) {
                    return; // a damaged declaration can name any size; loading it was the test
                }
                feed.put(v.name(), Tensor.zeros(s));
            }
            Inference.predictAll(m, feed);
        }
    }

    /** A data file: loaded as {@code evaluate --data} loads it. */
    record DataFormat(String name, SeedMaker maker, boolean isText) implements FuzzFormat {
        @Override
        public List<Seed> seeds(Path dir) throws Exception {
            return maker.make(dir);
        }

        @Override
        public boolean text(Seed seed) {
            return isText && !seed.damage().toString().endsWith(".npy") || seed.label().equals("x.npy");
        }

        @Override
        public void load(Path path) {
            Dataset d = DataFiles.load(path, DataOptions.DEFAULT, NonFinite.Policy.ALLOW);
            d.labelClasses();
        }
    }

    /**
     * Design points and hardware configurations, read by {@code estimate --config}: run through the command line,
     * which must exit 0 or 1 with one line (a design point written by the window, a hand-edited hls4ml config).
     */
    static final class DesignPointFormat implements FuzzFormat {
        private Path model;

        @Override
        public String name() {
            return "design-point";
        }

        @Override
        public List<Seed> seeds(Path dir) throws Exception {
            model = dir.resolve("model");
            Seeds.writeProject(model);
            Path point = Files.writeString(dir.resolve("point.json"), "{\"name\": \"p\", \"prune\": {\"granularity\":"
                    + " \"unstructured\", \"importance\": \"l1\", \"selection\": \"layer\", \"sparsity\": 0.5},"
                    + " \"weights\": {\"type\": \"fixed\", \"fixed\": {\"width\": 8, \"integer\": 3, \"signed\": true,"
                    + " \"rounding\": \"TRUNCATE\", \"overflow\": \"WRAP\"}}, \"layers\": {\"fc\": {\"reuseFactor\": 4}}}");
            Path hw = Files.writeString(dir.resolve("hls4ml.json"), "{\"precision\": \"ap_fixed<16,6>\", \"reuseFactor\":"
                    + " 1, \"strategy\": \"latency\", \"io\": \"parallel\", \"clockMhz\": 200, \"layers\": {\"fc\":"
                    + " {\"precision\": \"ap_fixed<8,3>\", \"reuseFactor\": 4, \"strategy\": \"resource\"}}}");
            Path v2 = Files.writeString(dir.resolve("point-v2.json"), "{\"version\": 2, \"prune\": {\"granularity\":"
                    + " \"dsp-pattern\", \"selection\": \"knapsack\", \"budgets\": {\"DSP\": 0.5}},"
                    + " \"weights\": {\"type\": \"fixed\", \"hls\": \"ap_fixed<8,2>\"}, \"hardware\": {\"device\":"
                    + " \"xcvu9p\", \"strategy\": \"resource\", \"reuseFactor\": 2, \"io\": \"parallel\"},"
                    + " \"layers\": {\"fc\": {\"exempt\": false, \"reuseFactor\": 4}}}");
            return List.of(FuzzFormat.Seed.of("design point", point), FuzzFormat.Seed.of("hls4ml config", hw),
                    FuzzFormat.Seed.of("design point v2", v2));
        }

        @Override
        public boolean text(Seed seed) {
            return true;
        }

        @Override
        public void load(Path path) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = SparsimonyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                    .execute("estimate", model.toString(), "--target", "xcvu9p", "--config", path.toString());
            if (code == 1) {
                String e = err.toString().strip();
                throw new ModelException(e.startsWith("sparsimony: ") ? e.substring(12) : e);
            }
            if (code != 0) {
                throw new IllegalStateException("exit code " + code + ": " + err.toString().strip());
            }
        }
    }

    /** Search spaces, read as {@code explore --space} reads them; every axis value is checked, a point built. */
    static final class SearchSpaceFormat implements FuzzFormat {
        @Override
        public String name() {
            return "search-space";
        }

        @Override
        public List<Seed> seeds(Path dir) throws Exception {
            Path space = Files.writeString(dir.resolve("space.json"), "{\"name\": \"s\", \"base\": {\"version\": 2,"
                    + " \"prune\": {\"selection\": \"global\"}, \"outputs\": {\"type\": \"fixed\","
                    + " \"hls\": \"ap_fixed<16,6>\"}}, \"axes\": [{\"name\": \"sparsity\", \"field\":"
                    + " \"prune.sparsity\", \"range\": {\"from\": 0, \"to\": 0.9, \"step\": 0.3}},"
                    + " {\"field\": \"weights\", \"bits\": [4, 8]}, {\"field\": \"layers[fc].reuseFactor\","
                    + " \"values\": [1, 2]}], \"constraints\": {\"fitsDevice\": true, \"minAccuracy\": 0.5},"
                    + " \"objectives\": [\"accuracy\", \"dsp\"], \"budgetWalk\": {\"resource\": \"DSP\"}}");
            return List.of(FuzzFormat.Seed.of("space", space));
        }

        @Override
        public boolean text(Seed seed) {
            return true;
        }

        @Override
        public void load(Path path) {
            dev.sparsimony.engine.explore.SearchSpace s = dev.sparsimony.engine.explore.SearchSpace.read(path);
            s.gridSize();
            s.point(new int[s.axes().size()]).key();
        }
    }

    /** A sweep's points.jsonl, read as {@code explore --resume} reads it. */
    static final class SweepResultsFormat implements FuzzFormat {
        @Override
        public String name() {
            return "points-jsonl";
        }

        @Override
        public List<Seed> seeds(Path dir) throws Exception {
            var prov = new dev.sparsimony.engine.explore.Provenance("m", "aa", "d", "bb", "test", 1, "optimal", 2, 1.5);
            var point = dev.sparsimony.engine.explore.DesignPoint.of(
                    dev.sparsimony.engine.explore.PruneSpec.magnitude(0.5, true));
            var ok = new dev.sparsimony.engine.explore.PointResult(0, point.key(), "ok", null, point,
                    Map.of("sparsity", 0.5), true, "accuracy", 0.75, 10, 2, 300, 400, 5, 1, 25.0, 1000, 0.5, 2000,
                    false, List.of(), List.of(new dev.sparsimony.engine.explore.PointResult.Layer("fc", 0.5, 8, 1,
                    "latency", 10, 2, 300, 400, 5)), prov);
            var failed = dev.sparsimony.engine.explore.PointResult.failed(1, point.withSeed(3), "ab", Map.of(),
                    "reuse factor 3 is not valid", prov);
            Path jsonl = dir.resolve("points.jsonl");
            Files.writeString(jsonl, dev.sparsimony.engine.explore.ResultCodec.line(ok) + "\n"
                    + dev.sparsimony.engine.explore.ResultCodec.line(failed) + "\n");
            return List.of(new FuzzFormat.Seed("points.jsonl", jsonl, dir));
        }

        @Override
        public boolean text(Seed seed) {
            return true;
        }

        @Override
        public void load(Path path) {
            for (var r : dev.sparsimony.engine.explore.PointStore.read(path)) {
                r.point().key();
            }
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
