package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.NdUtil;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Tensor;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The model's weights as native INDArrays (IR shapes), one buffer per named weight, reused across passes. */
final class WeightStore {
    private final Map<String, Map<String, INDArray>> byNode = new HashMap<>();

    WeightStore(Model model) {
        for (Node n : model.nodes()) {
            Map<String, INDArray> m = new LinkedHashMap<>();
            n.op().weights().forEach((k, t) -> m.put(k, toNd(t)));
            byNode.put(n.name(), Collections.unmodifiableMap(m));
        }
    }

    static INDArray toNd(Tensor t) {
        if (t.rank() == 0) {
            return Nd4j.scalar(DataType.FLOAT, t.data()[0]);
        }
        INDArray a = Nd4j.create(DataType.FLOAT, NdUtil.longs(t.shape()), 'c');
        if (t.size() > 0) {
            NdUtil.copyIn(t.data(), 0, t.size(), a);
        }
        return a;
    }

    Map<String, INDArray> of(String node) {
        return byNode.getOrDefault(node, Map.of());
    }

    INDArray get(String node, String weight) {
        Map<String, INDArray> m = byNode.get(node);
        if (m == null) {
            throw new ModelException("the model has no layer named '" + node + "'");
        }
        INDArray a = m.get(weight);
        if (a == null) {
            throw new ModelException("layer '" + node + "' has no weight '" + weight + "' (it has " + m.keySet() + ")");
        }
        return a;
    }
}
