package dev.sparsimony.engine.io.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sparsimony.engine.io.ModelImporter;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Imports ONNX models ({@code .onnx}, a serialized {@code ModelProto}) into the IR. Parsing uses the protobuf
 * classes generated from {@code src/main/proto/onnx.proto}; the graph conversion is {@link OnnxConverter}.
 */
public final class OnnxImporter implements ModelImporter {
    /** Protobuf's own limit is 2 GiB per message; ONNX keeps bigger models in external data, which we reject. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

    @Override
    public String formatName() {
        return "ONNX";
    }

    @Override
    public List<String> extensions() {
        return List.of("*.onnx");
    }

    @Override
    public boolean accepts(Path path) {
        Path f = path.getFileName();
        return f != null && f.toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public Model load(Path path) throws IOException {
        String label = String.valueOf(path.getFileName());
        long size = Files.size(path);
        if (size == 0) {
            throw new ModelException(label + " is empty, not an ONNX model");
        }
        if (size > MAX_BYTES) {
            throw new ModelException(label + " is larger than 2 GiB; ONNX models that big keep their weights in"
                    + " external data files, which Sparsimony does not read");
        }
        byte[] bytes = Files.readAllBytes(path);
        return load(bytes, label);
    }

    @Override
    public Model load(Path path, dev.sparsimony.engine.io.InputValues inputs) throws IOException {
        String label = String.valueOf(path.getFileName());
        if (Files.size(path) == 0 || Files.size(path) > MAX_BYTES) {
            return load(path); // the usual message
        }
        byte[] bytes = Files.readAllBytes(path);
        ModelProto mp = parse(bytes, label);
        java.util.Set<String> inits = new java.util.HashSet<>();
        mp.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
        List<String> declared = new java.util.ArrayList<>();
        mp.getGraph().getInputList().forEach(v -> {
            if (!inits.contains(v.getName())) {
                declared.add(v.getName());
            }
        });
        return convert(mp, label, inputs.bind(declared, label));
    }

    /** Imports a model from its serialized bytes; {@code label} names it in messages. */
    public static Model load(byte[] bytes, String label) {
        return load(bytes, label, java.util.Map.of());
    }

    /**
     * Imports a model for a run on known values of (some of) its graph inputs: where a layer needs a constant
     * operand (Conv weights, Reshape targets...) and the graph passes it as an input, the known value is used
     * (the ONNX backend test cases pass weights as inputs; the IR keeps weights inside its layers). The inputs
     * stay inputs of the model.
     */
    public static Model load(byte[] bytes, String label, java.util.Map<String, dev.sparsimony.engine.model.Tensor> known) {
        return convert(parse(bytes, label), label, known);
    }

    private static ModelProto parse(byte[] bytes, String label) {
        String other = sniffOtherFormat(bytes);
        if (other != null) {
            throw new ModelException(label + " is not an ONNX model (it looks like " + other + ")");
        }
        ModelProto mp;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.enableAliasing(true); // raw_data fields share the file's bytes instead of copying them
            in.setRecursionLimit(64);
            mp = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(label + " is not a valid ONNX model: it is truncated or not an ONNX protobuf file ("
                    + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")", e);
        } catch (IOException e) {
            throw new ModelException(label + " cannot be read: " + e.getMessage(), e);
        }
        if (!mp.hasGraph() || !mp.hasIrVersion()) {
            throw new ModelException(label + " is not an ONNX model (no " + (mp.hasGraph() ? "IR version" : "graph")
                    + " found; is the file truncated or of another format?)");
        }
        return mp;
    }

    private static Model convert(ModelProto mp, String label, java.util.Map<String, dev.sparsimony.engine.model.Tensor> known) {
        try {
            return new OnnxConverter(mp, label, known).convert();
        } catch (ModelException e) {
            String m = String.valueOf(e.getMessage());
            throw m.startsWith(label) ? e : new ModelException(label + ": " + m, e);
        } catch (OutOfMemoryError e) {
            throw new ModelException(label + " is too large for the memory given to Sparsimony (raise -Xmx)", e);
        } catch (RuntimeException e) {
            throw new ModelException(label + ": cannot import this ONNX model ("
                    + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")", e);
        }
    }

    /** Recognises common non-ONNX files by their magic bytes, for a clearer message than a protobuf error. */
    static String sniffOtherFormat(byte[] b) {
        if (startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G'})) {
            return "a PNG image";
        }
        if (startsWith(b, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return "a JPEG image";
        }
        if (startsWith(b, new byte[] {(byte) 0x89, 'H', 'D', 'F'})) {
            return "an HDF5 file (a Keras .h5 model? open it with its .h5 extension)";
        }
        if (startsWith(b, new byte[] {'P', 'K', 3, 4})) {
            return "a ZIP archive (a PyTorch .pt or Keras .keras file?)";
        }
        if (startsWith(b, new byte[] {0x1f, (byte) 0x8b})) {
            return "a gzip file";
        }
        if (startsWith(b, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'})) {
            return "a NumPy .npy file";
        }
        if (startsWith(b, "%PDF".getBytes(StandardCharsets.US_ASCII))) {
            return "a PDF document";
        }
        int i = 0;
        while (i < b.length && i < 64 && Character.isWhitespace(b[i])) {
            i++;
        }
        if (i < b.length && (b[i] == '{' || b[i] == '[')) {
            return "a JSON text file";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, byte[] magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (b[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
