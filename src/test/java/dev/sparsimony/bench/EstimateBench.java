package dev.sparsimony.bench;

import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaModel;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.TestModels;
import dev.sparsimony.engine.model.Model;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One FPGA estimate of the hls4ml jet-tagging MLP 16-64-32-32-5 (ap_fixed&lt;16,6&gt;, RF 1, Latency, io_parallel,
 * 200 MHz, xcku115): quantizing 4,256 weights, CSD analysis of each constant, adder trees, tables. Score = time per
 * estimate. Run: java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main EstimateBench
 * -f 1 -wi 3 -i 5
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class EstimateBench {
    Model model;
    Device device;
    HardwareConfig config;

    @Setup
    public void setUp() {
        model = TestModels.jetMlp(42);
        device = DeviceCatalogue.builtIn().get("xcku115");
        config = HardwareConfig.hls4mlDefaults();
    }

    @Benchmark
    public FpgaEstimate estimateJetMlp() {
        return FpgaModel.estimate(model, config, device);
    }
}
