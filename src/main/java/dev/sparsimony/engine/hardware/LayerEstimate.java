package dev.sparsimony.engine.hardware;

/**
 * Resources and timing of one layer. BRAM in 18 Kb blocks; latency and interval in clock cycles.
 *
 * @param reuseFactor the reuse factor actually used (after hls4ml's correction of an invalid one), 0 for weightless
 * @param multipliers multiplications per inference the layer performs in hardware (non-zero products)
 */
public record LayerEstimate(String name, String kind, String shape, int reuseFactor, String strategy, long dsp,
                            long bram18, long lut, long ff, long latencyCycles, long intervalCycles, long multipliers,
                            String note) {
}
