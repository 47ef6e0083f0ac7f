package dev.sparsimony.engine.io.keras;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Keras H5 file read with jHDF: the optional {@code model_config} attribute and one weight group per layer,
 * either under {@code model_weights} (full model) or at the root (weights-only file). Each layer group's
 * {@code weight_names} attribute lists its datasets in the layer's order (Keras {@code hdf5_format.py}).
 */
final class KerasH5 implements KerasWeights, AutoCloseable {
    /** HDF5 format signature (HDF5 File Format Specification, "Format Signature"). */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final HdfFile file;
    private final Group weightsRoot;
    private final String fileName;
    private final long fileSize;

    private KerasH5(HdfFile file, String fileName, long fileSize) {
        this.file = file;
        this.fileName = fileName;
        this.fileSize = fileSize;
        Node mw = child(file, "model_weights");
        this.weightsRoot = mw instanceof Group g ? g : file;
    }

    static KerasH5 open(Path path) throws IOException {
        String name = path.getFileName().toString();
        if (!hasSignature(path)) {
            throw new ModelException(name + " is not an HDF5 file (no HDF5 signature" + lookalike(path) + ")");
        }
        HdfFile f;
        try {
            f = new HdfFile(path);
        } catch (RuntimeException e) {
            throw new ModelException(name + " is not a readable HDF5 file ("
                    + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")", e);
        }
        try {
            // the superblock records where the file ends; a shorter file lost its tail (interrupted copy or download)
            io.jhdf.Superblock sb = f.getHdfBackingStorage().getSuperblock();
            long expected = sb.getBaseAddressByte() + sb.getEndOfFileAddress();
            long actual = Files.size(path);
            if (expected > actual && expected > 0) {
                throw new ModelException(name + " is truncated: it has " + actual + " bytes, its HDF5 header says "
                        + expected);
            }
            return new KerasH5(f, name, actual);
        } catch (ModelException e) {
            f.close();
            throw e;
        } catch (RuntimeException e) {
            f.close();
            throw new ModelException(name + " is a damaged HDF5 file ("
                    + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")", e);
        }
    }

    /** A hint for files that are something else under an .h5 name. */
    private static String lookalike(Path path) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(64);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return "; it is a ZIP archive, e.g. a Keras 3 .keras file, which is not supported";
        }
        String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
        if (text.startsWith("{")) {
            return "; it looks like JSON text: open the architecture .json file instead";
        }
        return "";
    }

    /** The signature sits at offset 0, or 512, 1024, 2048... when the file has a user block. */
    private static boolean hasSignature(Path path) throws IOException {
        long size = Files.size(path);
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[8];
            long pos = 0;
            for (long off = 0; off + 8 <= size && off <= (1L << 20); off = off == 0 ? 512 : off * 2) {
                in.skipNBytes(off - pos);
                if (in.readNBytes(buf, 0, 8) != 8) {
                    return false;
                }
                pos = off + 8;
                if (Arrays.equals(buf, SIGNATURE)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The architecture JSON of a full-model file, or null for a weights-only file. */
    String modelConfig() {
        Attribute a = file.getAttribute("model_config");
        if (a == null) {
            return null;
        }
        Object d = a.getData();
        if (d instanceof String s) {
            return s;
        }
        if (d instanceof String[] arr && arr.length == 1) {
            return arr[0];
        }
        if (d instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new ModelException(fileName + ": its model_config attribute is not a string");
    }

    /** True when the file looks like Keras 2 / tf.keras weights (a layer_names attribute, as save_weights writes). */
    boolean hasLayerNames() {
        return weightsRoot.getAttribute("layer_names") != null;
    }

    /** True for the Keras 3 native weights layout ("layers/<name>/vars/0"), which this importer does not read. */
    boolean isKeras3WeightsLayout() {
        return child(file, "layers") instanceof Group || child(file, "vars") instanceof Group;
    }

    /** Keras version recorded in the file, or null. */
    String kerasVersion() {
        Attribute a = file.getAttribute("keras_version");
        if (a == null) {
            a = weightsRoot.getAttribute("keras_version");
        }
        return a != null && a.getData() instanceof String s ? s : null;
    }

    @Override
    public String fileName() {
        return fileName;
    }

    /**
     * The weights of one layer. jHDF's own exceptions on a damaged file become one line naming this file, so that
     * damage inside the weights file is never blamed on the architecture JSON read before it.
     */
    @Override
    public Map<String, Tensor> layer(String layerName) {
        try {
            return readLayer(layerName);
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ModelException(fileName + " is damaged: the weights of layer '" + layerName
                    + "' cannot be read (" + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")", e);
        }
    }

    private Map<String, Tensor> readLayer(String layerName) {
        Node n = child(weightsRoot, layerName);
        if (!(n instanceof Group g)) {
            return null;
        }
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        collect(g, "", datasets);
        Map<String, Tensor> out = new LinkedHashMap<>();
        String[] names = weightNames(g);
        if (names == null) {
            for (Map.Entry<String, Dataset> e : datasets.entrySet()) {
                out.putIfAbsent(KerasWeights.role(e.getKey()), tensor(layerName, e.getKey(), e.getValue()));
            }
            return out;
        }
        for (String wn : names) {
            Dataset ds = datasets.get(wn);
            if (ds == null) {
                // Keras sometimes records a name scope that differs from the group path; match the tail
                for (Map.Entry<String, Dataset> e : datasets.entrySet()) {
                    if (e.getKey().endsWith("/" + wn) || wn.endsWith("/" + e.getKey())) {
                        ds = e.getValue();
                        break;
                    }
                }
            }
            if (ds == null) {
                throw new ModelException(fileName + ": layer '" + layerName + "' lists weight '" + wn
                        + "' but the file has no such dataset");
            }
            out.putIfAbsent(KerasWeights.role(wn), tensor(layerName, wn, ds));
        }
        return out;
    }

    private static String[] weightNames(Group g) {
        Attribute a = g.getAttribute("weight_names");
        if (a == null) {
            return null;
        }
        Object d = a.getData();
        if (d instanceof String[] s) {
            return s;
        }
        if (d instanceof String s) {
            return new String[] {s};
        }
        return null; // an empty attribute (layers without weights) reads as null
    }

    private void collect(Group g, String prefix, Map<String, Dataset> out) {
        for (Node c : g) {
            String p = prefix.isEmpty() ? c.getName() : prefix + "/" + c.getName();
            if (c instanceof Dataset d) {
                out.put(p, d);
            } else if (c instanceof Group sub) {
                // Keras nests one or two levels; a deeper path means a damaged file or a link cycle
                if (p.chars().filter(ch -> ch == '/').count() > 16) {
                    throw new ModelException(fileName + ": the weight groups are nested too deeply (" + p + ")");
                }
                collect(sub, p, out);
            }
        }
    }

    private Tensor tensor(String layerName, String weightName, Dataset ds) {
        int[] shape = ds.getDimensions();
        if (ds.isScalar()) {
            shape = new int[0];
        }
        // a damaged header can claim any size: check before allocating (Keras writes weights uncompressed)
        long count = ds.getSize();
        if (count > Integer.MAX_VALUE - 8) {
            throw new ModelException(fileName + ": weight '" + weightName + "' of layer '" + layerName + "' claims "
                    + count + " values, more than one tensor can hold");
        }
        if (ds.getFilters().isEmpty() && ds.getSizeInBytes() > fileSize) {
            throw new ModelException(fileName + " is damaged or truncated: weight '" + weightName + "' of layer '"
                    + layerName + "' claims " + ds.getSizeInBytes() + " bytes, the file has " + fileSize);
        }
        Object flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
        float[] v;
        if (flat instanceof float[] f) {
            v = f;
        } else if (flat instanceof double[] d) {
            v = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = (float) d[i];
            }
        } else if (flat instanceof Number num) {
            v = new float[] {num.floatValue()};
        } else if (flat != null && flat.getClass().isArray() && flat.getClass().getComponentType().isPrimitive()) {
            int n = java.lang.reflect.Array.getLength(flat);
            v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = ((Number) java.lang.reflect.Array.get(flat, i)).floatValue();
            }
        } else {
            throw new ModelException(fileName + ": weight '" + weightName + "' of layer '" + layerName
                    + "' is not numeric (" + ds.getJavaType().getSimpleName() + ")");
        }
        return new Tensor(shape, v);
    }

    private static Node child(Group g, String name) {
        return g.getChildren().get(name);
    }

    @Override
    public void close() {
        file.close();
    }
}
