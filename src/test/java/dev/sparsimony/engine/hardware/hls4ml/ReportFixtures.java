package dev.sparsimony.engine.hardware.hls4ml;

import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small csynth reports written for these tests in the two layouts Vivado/Vitis HLS print (the table shapes of
 * Vivado HLS 2019 and of Vitis HLS 2024); their numbers are made up for the parser, not measurements.
 */
public final class ReportFixtures {
    private ReportFixtures() {
    }

    /** Vitis HLS 2024 layout: units in the timing and latency tables, a DSP column, Module names with config. */
    public static final String VITIS = """
            ================================================================
            == Vitis HLS Report for 'myproject'
            ================================================================
            * Version:        2024.1 (Build 5069499 on May 21 2024)
            * Project:        myproject_prj
            * Target device:  xcvu9p-flga2104-2L-e

            ================================================================
            == Performance Estimates
            ================================================================
            + Timing:
                * Summary:
                +--------+---------+----------+------------+
                |  Clock |  Target | Estimated| Uncertainty|
                +--------+---------+----------+------------+
                |ap_clk  |  5.00 ns|  4.200 ns|     0.62 ns|
                +--------+---------+----------+------------+

            + Latency:
                * Summary:
                +---------+---------+-----------+-----------+-----+-----+---------+
                |  Latency (cycles) |   Latency (absolute)  |  Interval | Pipeline|
                |   min   |   max   |    min    |    max    | min | max |   Type  |
                +---------+---------+-----------+-----------+-----+-----+---------+
                |        6|        6|  30.000 ns|  30.000 ns|    1|    1|      yes|
                +---------+---------+-----------+-----------+-----+-----+---------+

                + Detail:
                    * Instance:
                    +--------------------------+------------------------------+---------+---------+-----------+-----------+-----+-----+---------+
                    |                          |                              |  Latency (cycles) |   Latency (absolute)  |  Interval | Pipeline|
                    |         Instance         |            Module            |   min   |   max   |    min    |    max    | min | max |   Type  |
                    +--------------------------+------------------------------+---------+---------+-----------+-----------+-----+-----+---------+
                    |grp_dense_latency_c5_fu_9 |dense_latency_ap_fixed_config5_s |        1|        1|   5.000 ns|   5.000 ns|    1|    1|      yes|
                    |call_ret_relu_c4_fu_7     |relu_ap_fixed_relu_config4_s  |        0|        0|       0 ns|       0 ns|    1|    1|      yes|
                    |grp_dense_latency_c2_fu_3 |dense_latency_ap_fixed_config2_s |        1|        1|   5.000 ns|   5.000 ns|    1|    1|      yes|
                    +--------------------------+------------------------------+---------+---------+-----------+-----------+-----+-----+---------+

            ================================================================
            == Utilization Estimates
            ================================================================
            * Summary:
            +---------------------+---------+-------+---------+---------+------+
            |         Name        | BRAM_18K|  DSP  |    FF   |   LUT   | URAM |
            +---------------------+---------+-------+---------+---------+------+
            |Instance             |        0|     30|      400|     5000|     -|
            |Register             |        -|      -|      250|        -|     -|
            +---------------------+---------+-------+---------+---------+------+
            |Total                |        0|     30|      650|     5020|     0|
            +---------------------+---------+-------+---------+---------+------+

            + Detail:
                * Instance:
                +--------------------------+------------------------------+---------+-----+------+-------+-----+
                |         Instance         |            Module            | BRAM_18K| DSP |  FF  |  LUT  | URAM|
                +--------------------------+------------------------------+---------+-----+------+-------+-----+
                |grp_dense_latency_c2_fu_3 |dense_latency_ap_fixed_config2_s |        0|   20|   300|   3000|    0|
                |grp_dense_latency_c5_fu_9 |dense_latency_ap_fixed_config5_s |        0|   10|   100|   1500|    0|
                |call_ret_relu_c4_fu_7     |relu_ap_fixed_relu_config4_s  |        0|    0|     0|    500|    0|
                +--------------------------+------------------------------+---------+-----+------+-------+-----+
                |Total                     |                              |        0|   30|   400|   5000|    0|
                +--------------------------+------------------------------+---------+-----+------+-------+-----+
            """;

    /** Vivado HLS 2019 layout: plain numbers, no absolute latency, DSP48E, module names without config. */
    public static final String VIVADO_2019 = """
            ================================================================
            == Vivado HLS Report for 'myproject'
            ================================================================
            * Version:        2019.1 (Build 2552052 on Fri May 24 15:28:33 MDT 2019)
            * Target device:  xcu250-figd2104-2L-e

            ================================================================
            == Performance Estimates
            ================================================================
            + Timing (ns):
                * Summary:
                +--------+-------+----------+------------+
                |  Clock | Target| Estimated| Uncertainty|
                +--------+-------+----------+------------+
                |ap_clk  |   5.00|     4.371|        0.62|
                +--------+-------+----------+------------+

            + Latency (clock cycles):
                * Summary:
                +-----+-----+-----+-----+----------+
                |  Latency  |  Interval | Pipeline |
                | min | max | min | max |   Type   |
                +-----+-----+-----+-----+----------+
                |    4|    4|    1|    1| function |
                +-----+-----+-----+-----+----------+

                + Detail:
                    * Instance:
                    +-----------------------------+-------------------------+-----+-----+-----+-----+----------+
                    |                             |                         |  Latency  |  Interval | Pipeline |
                    |           Instance          |          Module         | min | max | min | max |   Type   |
                    +-----------------------------+-------------------------+-----+-----+-----+-----+----------+
                    |grp_dense_latency_0_0_2_fu_40|dense_latency_0_0_0_2    |    1|    1|    1|    1| function |
                    |grp_dense_latency_0_0_1_fu_12|dense_latency_0_0_0_1    |    1|    1|    1|    1| function |
                    +-----------------------------+-------------------------+-----+-----+-----+-----+----------+

            ================================================================
            == Utilization Estimates
            ================================================================
            * Summary:
            +---------------------+---------+-------+---------+---------+------+
            |         Name        | BRAM_18K| DSP48E|    FF   |   LUT   | URAM |
            +---------------------+---------+-------+---------+---------+------+
            |Total                |        2|     12|      340|     2200|     0|
            +---------------------+---------+-------+---------+---------+------+

            + Detail:
                * Instance:
                +-----------------------------+-------------------------+---------+-------+------+------+-----+
                |           Instance          |          Module         | BRAM_18K| DSP48E|  FF  |  LUT | URAM|
                +-----------------------------+-------------------------+---------+-------+------+------+-----+
                |grp_dense_latency_0_0_1_fu_12|dense_latency_0_0_0_1    |        0|      8|   200|  1400|    0|
                |grp_dense_latency_0_0_2_fu_40|dense_latency_0_0_0_2    |        2|      4|   100|   700|    0|
                +-----------------------------+-------------------------+---------+-------+------+------+-----+
            """;

    /** Writes {@code text} as {@code <dir>/myproject_prj/solution1/syn/report/myproject_csynth.rpt}. */
    public static Path writeReport(Path projectDir, String text) {
        Path r = projectDir.resolve("myproject_prj/solution1/syn/report/myproject_csynth.rpt");
        try {
            Files.createDirectories(r.getParent());
            Files.writeString(r, text);
        } catch (IOException e) {
            throw new ModelException("cannot write test report: " + e.getMessage(), e);
        }
        return r;
    }
}
