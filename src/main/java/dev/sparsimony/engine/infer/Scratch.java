package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.NdUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Temporary buffers shared by all steps of one plan (steps run one after another), e.g. im2col columns, which
 * are kernel-size times larger than the feature map. A view handed out by {@link #get} is valid only while its
 * step runs: the next step may overwrite it. A request larger than the slot's buffer allocates a new buffer;
 * views handed out earlier keep the old one alive.
 */
public final class Scratch {
    private final INDArray[] slots = new INDArray[4];

    /** A dense c-order view of the given shape over slot {@code slot}'s buffer; contents undefined. */
    public INDArray get(int slot, long... shape) {
        long need = 1;
        for (long d : shape) {
            need *= d;
        }
        need = Math.max(need, 1);
        if (slots[slot] == null || slots[slot].length() < need) {
            slots[slot] = NdUtil.zeros(need);
        }
        INDArray flat = slots[slot].length() == need ? slots[slot] : slots[slot].get(NDArrayIndex.interval(0, need));
        return NdUtil.view(flat, shape);
    }
}
