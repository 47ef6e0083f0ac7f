package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import java.util.Locale;

/** hls4ml IOType: whole tensors as registers (io_parallel) or streams between dataflow stages (io_stream). */
public enum IoType {
    PARALLEL,
    STREAM;

    public static IoType parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "parallel", "io_parallel" -> PARALLEL;
            case "stream", "io_stream" -> STREAM;
            default -> throw new ModelException("unknown io type '" + s + "'; use parallel or stream");
        };
    }

    public String label() {
        return "io_" + name().toLowerCase(Locale.ROOT);
    }
}
