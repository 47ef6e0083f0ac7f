package dev.sparsimony.engine.export;

import dev.sparsimony.engine.io.AtomicFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * One export format: the files it makes of a prepared design point. An exporter adds its files to the batch
 * (written together, each replacing its previous version only once all are written); it writes nothing itself
 * unless its format has its own replacement protocol (the project format).
 */
public interface Exporter {
    /** The name on the command line, e.g. "hls4ml". */
    String id();

    /** One line for help texts. */
    String description();

    /** Adds the files of this format for {@code job} to {@code files}, all inside {@code dir}. */
    void write(ExportJob job, Path dir, AtomicFiles.Batch files);

    /** True when the format needs the point's evaluation on data ({@link ExportJob#result()}). */
    default boolean needsData() {
        return false;
    }

    /**
     * Files this format writes by its own replacement protocol, after the batch is in place (the project format's
     * model folder); returns them.
     */
    default List<Path> writeAfter(ExportJob job, Path dir) {
        return List.of();
    }
}
