package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/**
 * The compression engine's {@link StructureCost}s: parameters, MACs and weight memory bytes kept per structure.
 * DSP and BRAM costs come from the hardware model (engine.hardware).
 */
public final class Costs {
    private Costs() {
    }

    /** Parameters: one per kept weight. */
    public static final StructureCost PARAMS = new StructureCost() {
        @Override
        public String resource() {
            return "params";
        }

        @Override
        public double[] costs(Node layer, int[] outputShape, StructureMap map) {
            int[] s = map.sizes();
            double[] c = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                c[i] = s[i];
            }
            return c;
        }
    };

    /** MACs per inference (batch 1): each kept weight is used once per output position (H_out*W_out for conv). */
    public static final StructureCost MACS = new StructureCost() {
        @Override
        public String resource() {
            return "MACs";
        }

        @Override
        public double[] costs(Node layer, int[] outputShape, StructureMap map) {
            double pos = positions(outputShape, map.cols());
            double[] c = PARAMS.costs(layer, outputShape, map);
            for (int i = 0; i < c.length; i++) {
                c[i] *= pos;
            }
            return c;
        }
    };

    /** Weight memory in bytes at a given weight width: bits / 8 per kept weight. */
    public static StructureCost bytes(int weightBits) {
        return new StructureCost() {
            @Override
            public String resource() {
                return "bytes";
            }

            @Override
            public double[] costs(Node layer, int[] outputShape, StructureMap map) {
                double[] c = PARAMS.costs(layer, outputShape, map);
                for (int i = 0; i < c.length; i++) {
                    c[i] *= weightBits / 8.0;
                }
                return c;
            }
        };
    }

    /** Output positions: output elements per sample / output channels (1 for Dense on a vector). */
    static double positions(int[] outputShape, int cols) {
        if (outputShape == null) {
            return 1;
        }
        long n = 1;
        for (int i = 1; i < outputShape.length; i++) {
            n *= outputShape[i];
        }
        return Math.max(1, n / cols);
    }
}
