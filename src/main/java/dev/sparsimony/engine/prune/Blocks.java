package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;

/**
 * Fixed r x c blocks of the kernel matrix, tiled from the top-left; edge blocks may be smaller (Narang et al.,
 * "Block-Sparse Recurrent Neural Networks", 2017; hls4ml's BLOCK structure in optimization/dsp_aware_pruning).
 */
public final class Blocks implements Granularity {
    private final int br;
    private final int bc;

    public Blocks(int blockRows, int blockCols) {
        if (blockRows < 1 || blockCols < 1) {
            throw new ModelException("block size must be at least 1x1, got " + blockRows + "x" + blockCols);
        }
        this.br = blockRows;
        this.bc = blockCols;
    }

    @Override
    public String id() {
        return "block";
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        KernelView k = KernelView.of(layer);
        if (br > k.rows() || bc > k.cols()) {
            throw new ModelException("block " + br + "x" + bc + " is larger than the " + k.rows() + "x" + k.cols()
                    + " kernel matrix of layer '" + layer.name() + "'");
        }
        int perRow = (k.cols() + bc - 1) / bc;
        int blockRows = (k.rows() + br - 1) / br;
        int[] of = new int[k.size()];
        for (int r = 0; r < k.rows(); r++) {
            for (int c = 0; c < k.cols(); c++) {
                of[r * k.cols() + c] = (r / br) * perRow + c / bc;
            }
        }
        return new StructureMap(id() + " " + br + "x" + bc, k.rows(), k.cols(), of, perRow * blockRows);
    }
}
