package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hls4ml release whose templates the hardware model follows. Each rule that changed between releases asks this
 * record, and cites the hls4ml file it comes from (docs/hardware-models.md lists them):
 * <ul>
 *   <li>{@link #inlinesProduct()}: since v0.5.0 {@code product} is {@code #pragma HLS INLINE}
 *       (templates/vivado/nnet_utils/nnet_mult.h), so constant weights are folded at any reuse factor and the
 *       multiplier limit only caps the count; in v0.4 {@code product} was {@code inline off}
 *       (nnet_dense.h), every multiplication a real multiplier.</li>
 *   <li>{@link #stableSoftmaxByDefault()}: from v0.7.0 the softmax {@code implementation} attribute defaults to
 *       {@code stable} (backends/fpga/fpga_backend.py); before, it followed the model strategy and was
 *       {@code latency} for Latency and Resource (model/hls_layers.py, Softmax.initialize).</li>
 *   <li>{@link #limitsSoftmaxTable()}: from v0.8.1 the {@code fix_softmax_table_size} pass
 *       (backends/fpga/passes/fix_softmax_table_size.py) shrinks the softmax tables to 2^min(input width, table
 *       width) entries.</li>
 *   <li>{@link #hasUnrolledStrategy()}: the {@code resource_unrolled} strategy exists from v1.0.0
 *       (backends/vivado/passes/unrolled_codegen.py).</li>
 * </ul>
 */
public record Hls4mlVersion(int major, int minor, int patch) implements Comparable<Hls4mlVersion> {
    /** hls4ml's releases (git tags of fastmachinelearning/hls4ml). */
    public static final List<String> RELEASES = List.of("0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0", "0.6.0",
            "0.7.0", "0.7.1", "0.8.0", "0.8.1", "1.0.0", "1.1.0", "1.2.0", "1.3.0");
    /** The latest release (v1.3.0, 2026-03): the default. */
    public static final Hls4mlVersion LATEST = new Hls4mlVersion(1, 3, 0);

    private static final Pattern SPELLING = Pattern.compile("\\s*v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?\\s*");

    public Hls4mlVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new ModelException("hls4ml version numbers must not be negative");
        }
    }

    /** "1.3.0", "v0.5.0" or "0.8": a release of hls4ml; null or blank means {@link #LATEST}. */
    public static Hls4mlVersion parse(String s) {
        if (s == null || s.isBlank()) {
            return LATEST;
        }
        Matcher m = SPELLING.matcher(s);
        if (!m.matches()) {
            throw new ModelException("cannot read hls4ml version '" + s.strip() + "'; expected e.g. 1.3.0 (releases: "
                    + String.join(", ", RELEASES) + ")");
        }
        Hls4mlVersion v = new Hls4mlVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        if (v.compareTo(LATEST) > 0) {
            throw new ModelException("hls4ml " + v + " is newer than the latest release the model knows (" + LATEST
                    + ")");
        }
        if (v.compareTo(new Hls4mlVersion(0, 4, 0)) < 0) {
            throw new ModelException("hls4ml " + v + " is older than 0.4.0, the oldest release the model covers");
        }
        return v;
    }

    public boolean atLeast(int maj, int min, int pat) {
        return compareTo(new Hls4mlVersion(maj, min, pat)) >= 0;
    }

    /** v0.5.0+: {@code product} is inlined, constant weights are folded at any reuse factor (nnet_mult.h). */
    public boolean inlinesProduct() {
        return atLeast(0, 5, 0);
    }

    /** v0.7.0+: softmax defaults to the stable implementation (fpga_backend.py). */
    public boolean stableSoftmaxByDefault() {
        return atLeast(0, 7, 0);
    }

    /** v0.8.1+: softmax tables limited to 2^min(input width, table width) entries (fix_softmax_table_size.py). */
    public boolean limitsSoftmaxTable() {
        return atLeast(0, 8, 1);
    }

    /** v1.0.0+: the resource_unrolled strategy exists (unrolled_codegen.py). */
    public boolean hasUnrolledStrategy() {
        return atLeast(1, 0, 0);
    }

    @Override
    public int compareTo(Hls4mlVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c == 0 ? Integer.compare(patch, o.patch) : c;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
