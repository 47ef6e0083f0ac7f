package dev.sparsimony.engine.hardware.hls4ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaParams;
import dev.sparsimony.engine.hardware.Hls4mlVersion;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.hardware.Precisions;
import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.hardware.TestModels;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading hls4ml configurations as hls4ml's HLSConfig reads them (model/graph.py), against hand-worked settings. */
class Hls4mlConfigTest {
    static final Model JET = TestModels.jetMlp(3);
    @TempDir
    Path dir;

    Hls4mlConfig.Result read(String yml) throws Exception {
        Path f = dir.resolve("hls4ml_config.yml");
        Files.writeString(f, yml);
        return Hls4mlConfig.read(f, JET, DeviceCatalogue.builtIn(), Hls4mlVersion.LATEST, FpgaParams.defaults());
    }

    ModelException error(String yml) {
        return assertThrows(ModelException.class, () -> read(yml));
    }

    /** A configuration as hls4ml's writer dumps it (yaml.dump sorts keys; the model under a !keras_model tag). */
    static final String WRITTEN = """
            Backend: Vitis
            ClockPeriod: 4
            ClockUncertainty: 10%
            HLSConfig:
              LayerName:
                fc1:
                  Precision:
                    accum: fixed<24,10>
                    weight: ufixed<6,0,RND_CONV,SAT>
                  ReuseFactor: 4
                  Strategy: Resource
                  Trace: false
                fc2_linear:
                  Precision:
                    result: ap_fixed<12,4>
                input_1:
                  Precision:
                    result: ap_fixed<10,4>
              LayerType:
                Dense:
                  Precision:
                    weight: ap_fixed<8,3>
                  ReuseFactor: 2
                Activation:
                  Precision: ap_ufixed<8,0,AP_RND,AP_SAT>
              Model:
                BramFactor: 1000000000
                Precision: fixed<16,6>
                ReuseFactor: 1
                Strategy: Latency
                TraceOutput: false
            IOType: io_stream
            KerasModel: !keras_model 'prj/keras_model.keras'
            OutputDir: prj
            Part: xcu250-figd2104-2L-e
            ProjectName: myproject
            Stamp: ab0B8FF7
            Version: 1.0.0
            WriterConfig:
              Namespace: null
              WriteTar: false
            """;

    @Test
    void aWrittenProjectConfigurationWithHls4mlPrecedence() throws Exception {
        Hls4mlConfig.Result r = read(WRITTEN);
        assertEquals("xcu250", r.device().name());
        assertEquals(250.0, r.config().clockMhz(), 1e-9);
        assertEquals(0.4, r.config().clockUncertaintyNs(), 1e-9); // 10 % of 4 ns
        assertEquals(IoType.STREAM, r.config().io());
        // the !keras_model tag is read as the path it carries (resolved in the configuration's folder)
        assertEquals(dir.resolve("prj/keras_model.keras"), r.modelPath());
        LayerHwConfig fc1 = r.config().layer("fc1");
        // LayerName beats LayerType beats Model, per variable: weight from the name entry, bias from the model
        assertEquals(Precisions.parse("ufixed<6,0,RND_CONV,SAT>"), fc1.weight());
        assertEquals(FixedPoint.of(16, 6), fc1.bias());
        assertEquals(FixedPoint.of(24, 10), fc1.accumulator());
        assertEquals(4, fc1.reuseFactor());
        assertEquals(Strategy.RESOURCE, fc1.strategy());
        // fc2 has no name entry: the Dense type entry (weight, reuse factor) and the Model strategy
        LayerHwConfig fc2 = r.config().layer("fc2");
        assertEquals(FixedPoint.of(8, 3), fc2.weight());
        assertEquals(2, fc2.reuseFactor());
        assertEquals(Strategy.LATENCY, fc2.strategy());
        // hls4ml's inserted fc2_linear casts fc2's result
        assertEquals(FixedPoint.of(12, 4), fc2.result());
        // a type-level default string applies to every variable of that type
        assertEquals(Precisions.parse("ap_ufixed<8,0,AP_RND,AP_SAT>"), r.config().layer("relu1").result());
        assertEquals(FixedPoint.of(10, 4), r.config().input());
        // every key is used or reported
        assertTrue(r.ignored().contains("KerasModel: the model file (estimate uses the MODEL argument)"),
                r.ignored().toString());
        assertTrue(r.ignored().contains("LayerName.fc1.Trace: tracing does not change the synthesised design"));
        assertTrue(r.ignored().stream().anyMatch(s -> s.startsWith("Model.BramFactor")));
        assertTrue(r.ignored().stream().anyMatch(s -> s.startsWith("WriterConfig")));
        assertTrue(r.ignored().stream().anyMatch(s -> s.startsWith("Stamp")));
        assertTrue(r.used().contains("Part xcu250-figd2104-2L-e"), r.used().toString());
        assertTrue(r.used().contains("LayerName.fc1.ReuseFactor 4"), r.used().toString());
    }

    @Test
    void everyPrecisionSpelling() {
        assertEquals(FixedPoint.of(16, 6), Precisions.parse("fixed<16,6>"));
        assertEquals(FixedPoint.of(16, 6), Precisions.parse("ap_fixed<16, 6>"));
        assertEquals(new FixedPoint(6, 0, false, FixedPoint.Rounding.CONVERGENT, FixedPoint.Overflow.SATURATE),
                Precisions.parse("ufixed<6,0,RND_CONV,SAT>"));
        assertEquals(new FixedPoint(8, 0, false, FixedPoint.Rounding.TRUNCATE, FixedPoint.Overflow.WRAP),
                Precisions.parse("ap_ufixed<8,0>"));
        assertEquals(FixedPoint.of(8, 8), Precisions.parse("ap_int<8>"));
        assertEquals(FixedPoint.of(8, 8), Precisions.parse("int<8>"));
        assertEquals(new FixedPoint(4, 4, false, FixedPoint.Rounding.TRUNCATE, FixedPoint.Overflow.WRAP),
                Precisions.parse("uint<4>"));
        assertEquals(new FixedPoint(8, 3, true, FixedPoint.Rounding.ROUND_MIN_INF, FixedPoint.Overflow.SATURATE_SYM),
                Precisions.parse("ap_fixed<8,3,AP_RND_MIN_INF,AP_SAT_SYM>"));
        assertEquals(new FixedPoint(8, 3, true, FixedPoint.Rounding.TRUNCATE_ZERO, FixedPoint.Overflow.SATURATE_ZERO),
                Precisions.parse("fixed<8,3,TRN_ZERO,SAT_ZERO,0>"));
        assertEquals(FixedPoint.Rounding.ROUND_ZERO, Precisions.parse("ap_fixed<8,3,AP_RND_ZERO>").rounding());
        assertEquals(FixedPoint.Rounding.ROUND_INF, Precisions.parse("ap_fixed<8,3,RND_INF>").rounding());
        assertEquals("precision 'ap_fixed<8,3,AP_RND,AP_WRAP,2>' sets 2 saturation bits; only 0 is modelled",
                assertThrows(ModelException.class, () -> Precisions.parse("ap_fixed<8,3,AP_RND,AP_WRAP,2>"))
                        .getMessage());
    }

    @Test
    void roundingAndSaturationModesOnWeightCodes() {
        // code of v in ap_fixed<4,1> (lsb 1/8): 2.5 lsb ties and overflow
        Precisions.Quantizer rndZero = new Precisions.Quantizer(Precisions.parse("ap_fixed<4,1,AP_RND_ZERO>"));
        assertEquals(2, rndZero.code(2.5 / 8));
        assertEquals(-2, rndZero.code(-2.5 / 8));
        Precisions.Quantizer rndInf = new Precisions.Quantizer(Precisions.parse("ap_fixed<4,1,AP_RND_INF>"));
        assertEquals(3, rndInf.code(2.5 / 8));
        assertEquals(-3, rndInf.code(-2.5 / 8));
        Precisions.Quantizer minInf = new Precisions.Quantizer(Precisions.parse("ap_fixed<4,1,AP_RND_MIN_INF>"));
        assertEquals(2, minInf.code(2.5 / 8));
        assertEquals(-3, minInf.code(-2.5 / 8));
        Precisions.Quantizer trnZero = new Precisions.Quantizer(Precisions.parse("ap_fixed<4,1,AP_TRN_ZERO>"));
        assertEquals(-2, trnZero.code(-2.7 / 8));
        // saturation: symmetric clamps to -7 (not -8), zero-saturation gives 0
        assertEquals(-7, new Precisions.Quantizer(Precisions.parse("ap_fixed<4,1,AP_TRN,AP_SAT_SYM>")).code(-5.0));
        assertEquals(0, new Precisions.Quantizer(Precisions.parse("ap_fixed<4,1,AP_TRN,AP_SAT_ZERO>")).code(5.0));
        assertEquals(7, new Precisions.Quantizer(Precisions.parse("ap_fixed<4,1,AP_TRN,AP_SAT>")).code(5.0));
    }

    @Test
    void flatHlsConfigAndDefaults() throws Exception {
        Hls4mlConfig.Result r = read("""
                Model:
                  Precision: {default: 'ap_fixed<14,6>'}
                  ReuseFactor: 1
                LayerName:
                  softmax:
                    exp_table_t: ap_fixed<18,8>
                    table_size: 512
                    implementation: latency
                """);
        assertEquals("xcvu13p", r.device().name()); // hls4ml's default part
        assertEquals(200.0, r.config().clockMhz(), 1e-9);
        assertEquals(0.625, r.config().clockUncertaintyNs(), 1e-9); // Vivado default 12.5 % of 5 ns
        assertEquals(FixedPoint.of(14, 6), r.config().layer("fc3").weight());
        LayerHwConfig.TableSettings t = r.config().layer("softmax").tables();
        assertEquals(512, t.tableSize());
        assertEquals(FixedPoint.of(18, 8), t.expTable());
        assertNull(t.invTable());
        assertEquals("latency", t.softmaxImplementation());
        assertTrue(r.notes().get(0).startsWith("flat HLSConfig"), r.notes().toString());
    }

    @Test
    void autoTypesAreInferredAsHls4mlDoes() throws Exception {
        Hls4mlConfig.Result r = read("""
                Part: xcvu9p-flga2104-2L-e
                HLSConfig:
                  Model: {Precision: {default: 'fixed<16,6>', maximum: 'fixed<32,16>'}, ReuseFactor: 1}
                  LayerName:
                    fc1: {Precision: {result: auto, accum: auto, weight: 'fixed<8,2>', bias: 'fixed<8,2>'}}
                """);
        // infer_precision.py: input 16,6 x weight 8,2 over n_in = 16 products: width 16 + 8 + 4 = 28, integer
        // 6 + 2 + 4 = 12, frac 16; with the bias (8,2): integer max(12, 2) + 1 = 13, width 13 + max(16, 6) = 29
        FixedPoint inferred = FixedPoint.of(29, 13);
        assertEquals(inferred, r.config().layer("fc1").result());
        assertEquals(inferred, r.config().layer("fc1").accumulator());
    }

    @Test
    void strategiesAsTheVivadoBackendActsOnThem() throws Exception {
        Hls4mlConfig.Result r = read("""
                HLSConfig:
                  Model: {Precision: 'fixed<16,6>', ReuseFactor: 4, Strategy: ResourceUnrolled}
                  LayerName:
                    fc2: {Strategy: Unrolled}
                    fc3: {Strategy: distributed_arithmetic}
                """);
        assertEquals(Strategy.UNROLLED, r.config().layer("fc1").strategy());
        // 'Unrolled' becomes 'unrolled', which init_dense does not recognise: Latency (and a note saying so)
        assertEquals(Strategy.LATENCY, r.config().layer("fc2").strategy());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("only recognises 'resource_unrolled'")));
        assertEquals(Strategy.LATENCY, r.config().layer("fc3").strategy());
    }

    @Test
    void badInputIsOneLineNamingIt() {
        assertEquals("LayerName 'fc9' is not a layer of the model (its layers: input_1, fc1, relu1, fc2, relu2, fc3,"
                + " relu3, output, softmax)", error("HLSConfig: {Model: {Precision: 'fixed<16,6>', ReuseFactor: 1},"
                + " LayerName: {fc9: {ReuseFactor: 2}}}").getMessage().replaceFirst("^hls4ml configuration [^:]+: ",
                ""));
        assertTrue(error("Part: xc9999\nHLSConfig: {Model: {Precision: 'fixed<16,6>'}}").getMessage()
                .contains("unknown part 'xc9999' (Part)"));
        assertTrue(error("HLSConfig: {Model: {Precision: 'fixed<16>'}}").getMessage()
                .contains("Model.Precision: cannot read precision 'fixed<16>'"));
        assertTrue(error("HLSConfig: {Model: {Precision: 'ap_fixed<8,3,AP_RND_FOO>'}}").getMessage()
                .contains("unknown rounding mode 'AP_RND_FOO'"));
        assertTrue(error("Backend: Quartus\nHLSConfig: {Model: {Precision: 'fixed<16,6>'}}").getMessage()
                .contains("Backend 'Quartus' is not modelled"));
        assertTrue(error("- a\n- b\n").getMessage().contains("not an hls4ml configuration"));
        assertTrue(error("Part: [unclosed\n").getMessage().contains("is not valid YAML"));
        for (String m : new String[] {error("IOType: io_serial\nHLSConfig: {Model: {Precision: 'fixed<16,6>'}}")
                .getMessage(), error("Part: xc9999\nHLSConfig: {}").getMessage()}) {
            assertEquals(1, m.lines().count(), m);
        }
    }
}
