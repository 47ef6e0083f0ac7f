package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Layout;

/**
 * Per-sample index arithmetic of a 1-D or 2-D feature map in either layout. A 1-D map is a 2-D map of height 1,
 * so conv and pooling need one code path. Element (h, w, c) lives at {@code h * hs + w * ws + c * cs}.
 */
record Geometry(int h, int w, int c, int hs, int ws, int cs) {
    /** {@code shape} is the IR shape with the batch axis first: [N, (H,) W, C] or [N, C, (H,) W]. */
    static Geometry of(int[] shape, Layout layout) {
        int r = shape.length - 2;
        int c = shape[layout.channelAxis(shape.length)];
        int hh = r == 2 ? shape[layout.spatialAxis(shape.length, 0)] : 1;
        int ww = shape[layout.spatialAxis(shape.length, r - 1)];
        if (layout == Layout.CHANNELS_LAST) {
            return new Geometry(hh, ww, c, ww * c, c, 1);
        }
        return new Geometry(hh, ww, c, ww, 1, hh * ww);
    }

    int size() {
        return h * w * c;
    }
}
