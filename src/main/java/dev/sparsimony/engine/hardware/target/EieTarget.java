package dev.sparsimony.engine.hardware.target;

import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An EIE-style sparse matrix-vector engine (Han et al., ISCA 2016): fully connected layers stored as compressed sparse
 * columns interleaved row-wise over {@code pes} processing elements, each non-zero an 8-bit entry (4-bit index into
 * a 16-entry shared-weight codebook + 4-bit relative row index, with a padding zero when a gap exceeds 15); one MAC
 * per PE per cycle; zero input activations skipped. Energy from {@link EnergyTable} (45 nm). Formulas in
 * docs/hardware-models.md.
 */
public final class EieTarget implements HardwareTarget {
    /**
     * @param pes                processing elements (EIE: 64)
     * @param clockMhz           EIE: 800 MHz
     * @param weightIndexBits    bits of the shared-weight index (EIE: 4, 16 shared weights)
     * @param relIndexBits       bits of the relative row index (EIE: 4)
     * @param pointerBits        column pointer width (EIE: 16)
     * @param sramBytes          on-chip sparse-matrix SRAM over all PEs (EIE: 64 x 128 KB = 8 MB)
     * @param activationDensity  fraction of non-zero input activations (EIE skips zeros; 1.0 = no skipping assumed)
     * @param floatArithmetic    true: 32-bit float MAC energies; false: 32-bit integer energies (upper bound for
     *                           EIE's 16-bit fixed point)
     */
    public record Params(int pes, double clockMhz, int weightIndexBits, int relIndexBits, int pointerBits,
                         long sramBytes, double activationDensity, boolean floatArithmetic, EnergyTable energy) {
        public static Params eie() {
            return new Params(64, 800, 4, 4, 16, 64L * 128 * 1024, 1.0, true, EnergyTable.horowitz45nm());
        }
    }

    public static final List<String> COLUMNS = List.of("nnz", "padding", "storage_kB", "cycles", "time_us",
            "memory", "energy_nJ", "dense_energy_nJ");

    private final Params p;

    public EieTarget(Params params) {
        this.p = params;
    }

    @Override
    public String name() {
        return "eie";
    }

    @Override
    public String description() {
        return "EIE-style sparse accelerator, " + p.pes() + " PEs at " + p.clockMhz() + " MHz, 45 nm energies";
    }

    /** Entries (non-zeros + padding zeros) each PE holds for one layer, and the padding count. */
    record Layout(long[] entriesPerPe, long nonZero, long padding, long pointers) {
    }

    Layout layout(float[] kernel, int nIn, int nOut) {
        int pes = Math.min(p.pes(), nOut);
        long[] perPe = new long[p.pes()];
        long nnz = 0;
        long pad = 0;
        int maxGap = (1 << p.relIndexBits()) - 1;
        for (int j = 0; j < nIn; j++) {
            // EIE computes b = W a with W [nOut x nIn]; column j = input j; output row o lives on PE o mod pes
            int[] last = new int[pes];
            java.util.Arrays.fill(last, -1);
            for (int o = 0; o < nOut; o++) {
                if (kernel[j * nOut + o] == 0f) {
                    continue;
                }
                int pe = o % pes;
                int local = o / pes;
                int zerosBefore = local - last[pe] - 1;
                long padding = zerosBefore / (maxGap + 1);
                perPe[pe] += 1 + padding;
                pad += padding;
                nnz++;
                last[pe] = local;
            }
        }
        return new Layout(perPe, nnz, pad, (long) nIn * pes + pes);
    }

    @Override
    public HardwareReport estimate(Model model, HardwareConfig config) {
        EnergyTable e = p.energy();
        double mac = p.floatArithmetic() ? e.floatMult32() + e.floatAdd32() : e.intMult32() + e.intAdd32();
        int entryBits = p.weightIndexBits() + p.relIndexBits();
        int actBits = Math.min(32, config.defaults().result().width());
        List<HardwareReport.Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<long[]> storage = new ArrayList<>();
        List<Layout> layouts = new ArrayList<>();
        long totalBits = 0;
        for (Node n : model.nodes()) {
            if (n.op() instanceof Ops.Dense d) {
                Layout l = layout(d.kernel().data(), d.nIn(), d.nOut());
                long bits = (l.nonZero() + l.padding()) * entryBits + l.pointers() * p.pointerBits()
                        + (1L << p.weightIndexBits()) * 16L;
                totalBits += bits;
                layouts.add(l);
                storage.add(new long[] {bits});
                Set<Float> distinct = new HashSet<>();
                for (float v : d.kernel().data()) {
                    if (v != 0f && distinct.size() <= (1 << p.weightIndexBits())) {
                        distinct.add(v);
                    }
                }
                if (distinct.size() > (1 << p.weightIndexBits())) {
                    notes.add("layer '" + n.name() + "' has more than " + (1 << p.weightIndexBits())
                            + " distinct weights: EIE assumes they are clustered to a shared codebook first");
                }
            } else if (n.op() instanceof Ops.Conv) {
                throw new ModelException("layer '" + n.name() + "' (" + n.op().kind()
                        + ") cannot be mapped to EIE: it accelerates fully connected layers only");
            } else if (n.op() instanceof Ops.MatMul || n.op() instanceof Ops.Gemm) {
                throw new ModelException("layer '" + n.name() + "' (" + n.op().kind()
                        + ") cannot be mapped to EIE: a product of two run-time tensors");
            }
        }
        boolean onChip = totalBits / 8 <= p.sramBytes();
        double weightAccess = (onChip ? e.sram32() : e.dram32()) * entryBits / 32.0;
        double actAccess = e.sram32() * actBits / 32.0;
        double accumulate = e.registerFile32() * actBits / 32.0;
        double pointerAccess = (onChip ? e.sram32() : e.dram32()) * p.pointerBits() / 32.0;
        long cycles = 0;
        double energy = 0;
        double denseEnergy = 0;
        long nnzTotal = 0;
        int di = 0;
        for (Node n : model.nodes()) {
            if (!(n.op() instanceof Ops.Dense d)) {
                rows.add(new HardwareReport.Row(n.name(), n.op().kind(), new LinkedHashMap<>(),
                        n.op() instanceof Ops.Activation a && a.activation().label().equals("ReLU")
                                ? "in the PE's output stage" : "not on EIE (host or fused)"));
                continue;
            }
            Layout l = layouts.get(di);
            long bits = storage.get(di)[0];
            di++;
            long maxPe = 0;
            for (long x : l.entriesPerPe()) {
                maxPe = Math.max(maxPe, x);
            }
            // activation queues balance load across columns: the busiest PE sets the time (+ pipeline fill)
            long c = (long) Math.ceil(maxPe * p.activationDensity()) + 4;
            double entries = (l.nonZero() + l.padding()) * p.activationDensity();
            double en = entries * (mac + weightAccess + e.registerFile32() * 16 / 32.0 + accumulate)
                    + d.nIn() * p.activationDensity() * (actAccess + 2 * pointerAccess * Math.min(p.pes(), d.nOut()))
                    + d.nOut() * actAccess;
            double denseEn = (double) d.nIn() * d.nOut() * (mac + e.dram32()) + (d.nIn() + d.nOut()) * actAccess;
            cycles += c;
            energy += en;
            denseEnergy += denseEn;
            nnzTotal += l.nonZero();
            rows.add(new HardwareReport.Row(n.name(), n.op().kind(),
                    figures(l.nonZero(), l.padding(), bits, c, onChip, en, denseEn),
                    "busiest PE holds " + maxPe + " entries"));
        }
        Map<String, Object> t = figures(nnzTotal, null, totalBits, cycles, onChip, energy, denseEnergy);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("pes", (long) p.pes());
        s.put("clock_mhz", p.clockMhz());
        s.put("latency_cycles", cycles);
        s.put("latency_ns", cycles * 1000.0 / p.clockMhz());
        s.put("energy_nJ", energy / 1000.0);
        s.put("dense_dram_energy_nJ", denseEnergy / 1000.0);
        s.put("weights_on_chip", onChip);
        s.put("activation_density", p.activationDensity());
        notes.add("dense_energy_nJ: the same layer with dense 32-bit weights fetched from DRAM (EIE's baseline)");
        if (!onChip) {
            notes.add(String.format("compressed weights (%.0f kB) exceed the %d kB of on-chip SRAM: read from DRAM",
                    totalBits / 8192.0, p.sramBytes() / 1024));
        }
        return new HardwareReport(name(), description(), COLUMNS, rows, new HardwareReport.Row("total", "", t, ""),
                s, notes, List.of());
    }

    /** One row's figures in {@link #COLUMNS} order (energies in pJ in, nJ out); the total has no padding. */
    private Map<String, Object> figures(long nnz, Long padding, double bits, long cycles, boolean onChip,
                                        double energy, double denseEnergy) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("nnz", nnz);
        if (padding != null) {
            v.put("padding", padding);
        }
        v.put("storage_kB", bits / 8192.0);
        v.put("cycles", cycles);
        v.put("time_us", cycles / p.clockMhz());
        v.put("memory", onChip ? "SRAM" : "DRAM");
        v.put("energy_nJ", energy / 1000.0);
        v.put("dense_energy_nJ", denseEnergy / 1000.0);
        return v;
    }
}
