package dev.sparsimony.engine.hardware;

/**
 * Resources and timing of one layer. BRAM in 18 Kb blocks; latency and interval in clock cycles. LUT, FF and
 * latency are what the layer's own HLS function costs (an "instance" of the csynth report); the registers and cycles
 * the top-level function adds on the layer's output are {@code boundaryFf} and {@code boundaryCycles}.
 *
 * @param reuseFactor    the reuse factor actually used (after hls4ml's correction of an invalid one), 0 for weightless
 * @param multipliers    multiplications per inference the layer performs in hardware (non-zero products)
 * @param boundaryFf     flip-flops registering the layer's output at the top level (io_parallel)
 * @param boundaryCycles clock cycles the top level adds after the layer (before the calibration's factor)
 * @param terms          LUT and FF split by what they pay for, before calibration (see {@link CostTerms})
 * @param items          stream items (pixels) the layer handles per inference with io_stream, 1 otherwise
 */
public record LayerEstimate(String name, String kind, String shape, int reuseFactor, String strategy, long dsp,
                            long bram18, long lut, long ff, long latencyCycles, long intervalCycles, long multipliers,
                            String note, long boundaryFf, long boundaryCycles, CostTerms terms, long items) {
    public LayerEstimate {
        terms = terms == null ? new CostTerms() : terms.copy();
        items = Math.max(1, items);
    }

    public LayerEstimate(String name, String kind, String shape, int reuseFactor, String strategy, long dsp,
                         long bram18, long lut, long ff, long latencyCycles, long intervalCycles, long multipliers,
                         String note) {
        this(name, kind, shape, reuseFactor, strategy, dsp, bram18, lut, ff, latencyCycles, intervalCycles,
                multipliers, note, 0, 0, null, 1);
    }

    /** The terms (a copy: the record stays immutable). */
    @Override
    public CostTerms terms() {
        return terms.copy();
    }
}
