package dev.sparsimony.engine.model;

/** Where the channel axis of a feature map lives (the batch axis is always first). */
public enum Layout {
    /** ONNX / PyTorch: [N, C, spatial...]. */
    CHANNELS_FIRST,
    /** Keras / hls4ml: [N, spatial..., C]. */
    CHANNELS_LAST;

    /** Index of the channel axis in a tensor of the given rank (batch included). */
    public int channelAxis(int rank) {
        return this == CHANNELS_FIRST ? 1 : rank - 1;
    }

    /** Index of spatial dimension {@code i} (0-based) in a tensor of the given rank (batch included). */
    public int spatialAxis(int rank, int i) {
        return this == CHANNELS_FIRST ? 2 + i : 1 + i;
    }
}
