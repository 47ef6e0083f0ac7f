package dev.sparsimony.engine.export;

import dev.sparsimony.engine.io.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The compressed model as ONNX (opset 13): pruned and quantized weights as initializers, layer output types as
 * QONNX Quant nodes, node names equal to the layer names ({@link OnnxWriter}).
 */
final class OnnxExporter implements Exporter {
    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public String description() {
        return "the compressed model as ONNX with QONNX Quant nodes for the layer output types";
    }

    @Override
    public void write(ExportJob job, Path dir, AtomicFiles.Batch files) {
        OnnxWriter.Result r = OnnxWriter.write(job.compressed(), OnnxWriter.outputTypes(job.compressed()),
                UnaryOperator.identity(), metadata(job));
        files.add(dir.resolve(job.fileStem() + ".onnx"), r.bytes());
    }

    /** The point and its provenance, as the ONNX model's metadata_props. */
    static Map<String, String> metadata(ExportJob job) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sparsimony.designPoint", dev.sparsimony.engine.explore.DesignPointCodec.writeCompact(job.point()));
        m.put("sparsimony.key", job.point().key());
        m.put("sparsimony.model", job.provenance().model());
        m.put("sparsimony.modelSha256", job.provenance().modelSha256());
        m.put("sparsimony.engine", job.provenance().engine());
        return m;
    }
}
