package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * hls4ml's per-layer settings that the resource model needs.
 *
 * @param weight      weight_t
 * @param bias        bias_t
 * @param result      result_t
 * @param accum       accum_t; null means the result type (hls4ml's accum_t defaults to the model precision)
 * @param reuseFactor ReuseFactor (&gt;= 1)
 * @param strategy    Strategy
 * @param product     how a weight multiplies (hls4ml's product_type, backends/fpga/fpga_backend.py); null derives
 *                    it from the weight type: ap_int&lt;2&gt; ternary, ap_uint&lt;1&gt; binary, else a multiplication
 * @param tables      activation table settings; null means hls4ml's defaults
 */
public record LayerHwConfig(FixedPoint weight, FixedPoint bias, FixedPoint result, FixedPoint accum, int reuseFactor,
                            Strategy strategy, Product product, TableSettings tables) {
    /** hls4ml's product implementations (templates/vivado/nnet_utils/nnet_mult.h). */
    public enum Product {
        /** {@code mult}: a multiplication (constant-folded when the weights are visible constants) */
        MULT,
        /** {@code weight_exponential}: a power-of-two weight (QKeras quantized_po2) is a shift */
        EXPONENT,
        /** {@code weight_binary}: a 1-bit weight selects +x or -x */
        BINARY,
        /** {@code weight_ternary}: a 2-bit weight selects 0, +x or -x */
        TERNARY
    }

    /**
     * Activation lookup tables (hls4ml per-layer keys {@code table_size}, {@code table_t}, {@code exp_table_t},
     * {@code inv_table_t}, softmax {@code implementation}); null fields take hls4ml's defaults.
     */
    public record TableSettings(Integer tableSize, FixedPoint table, FixedPoint expTable, FixedPoint invTable,
                                String softmaxImplementation) {
        public static final TableSettings DEFAULT = new TableSettings(null, null, null, null, null);

        public TableSettings {
            if (tableSize != null && tableSize < 1) {
                throw new ModelException("table_size must be at least 1, got " + tableSize);
            }
        }
    }

    public LayerHwConfig {
        if (weight == null || bias == null || result == null || strategy == null) {
            throw new ModelException("layer hardware settings need weight, bias and result precisions and a strategy");
        }
        if (reuseFactor < 1) {
            throw new ModelException("reuse factor must be at least 1, got " + reuseFactor);
        }
        product = product == null ? productOf(weight) : product;
        tables = tables == null ? TableSettings.DEFAULT : tables;
    }

    public LayerHwConfig(FixedPoint weight, FixedPoint bias, FixedPoint result, int reuseFactor, Strategy strategy) {
        this(weight, bias, result, null, reuseFactor, strategy, null, null);
    }

    /** hls4ml's product_type for a weight type: ap_int&lt;2&gt; is ternary, ap_uint&lt;1&gt; (xnor) binary. */
    static Product productOf(FixedPoint w) {
        if (w.width() == 2 && w.integer() == 2 && w.signed()) {
            return Product.TERNARY;
        }
        if (w.width() == 1 && w.integer() == 1 && !w.signed()) {
            return Product.BINARY;
        }
        return Product.MULT;
    }

    /** One precision for weights, biases and results (hls4ml's Model-level Precision). */
    public static LayerHwConfig of(FixedPoint precision, int reuseFactor, Strategy strategy) {
        return new LayerHwConfig(precision, precision, precision, reuseFactor, strategy);
    }

    /** The accumulator type: accum_t, else result_t. */
    public FixedPoint accumulator() {
        return accum == null ? result : accum;
    }

    public LayerHwConfig withReuseFactor(int rf) {
        return new LayerHwConfig(weight, bias, result, accum, rf, strategy, product, tables);
    }

    public LayerHwConfig withStrategy(Strategy s) {
        return new LayerHwConfig(weight, bias, result, accum, reuseFactor, s, product, tables);
    }

    /** A new weight type; the product follows it unless it was set explicitly to something the type allows. */
    public LayerHwConfig withWeight(FixedPoint w) {
        return new LayerHwConfig(w, bias, result, accum, reuseFactor, strategy,
                product == Product.EXPONENT ? product : null, tables);
    }

    public LayerHwConfig withAccum(FixedPoint a) {
        return new LayerHwConfig(weight, bias, result, a, reuseFactor, strategy, product, tables);
    }

    public LayerHwConfig withProduct(Product p) {
        return new LayerHwConfig(weight, bias, result, accum, reuseFactor, strategy, p, tables);
    }

    public LayerHwConfig withTables(TableSettings t) {
        return new LayerHwConfig(weight, bias, result, accum, reuseFactor, strategy, product, t);
    }

    public LayerHwConfig withTypes(FixedPoint w, FixedPoint b, FixedPoint r) {
        return new LayerHwConfig(w, b, r, accum, reuseFactor, strategy, product == Product.EXPONENT ? product : null,
                tables);
    }
}
