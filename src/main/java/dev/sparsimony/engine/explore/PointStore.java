package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.model.ModelException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * points.jsonl: every result of a sweep, one JSON line each, appended (and flushed) as it finishes, so a killed
 * sweep loses at most the point in flight and {@code --resume} continues it. Thread-safe.
 */
public final class PointStore implements AutoCloseable {
    public static final String FILE = "points.jsonl";

    private final Path file;
    private Writer out;

    private PointStore(Path file, Writer out) {
        this.file = file;
        this.out = out;
    }

    /** Drops a last line cut short by a kill (no newline at the end), so that appending starts on a new line. */
    public static void repairTail(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            if (!Files.isRegularFile(f) || Files.size(f) == 0) {
                return;
            }
            byte[] b = Files.readAllBytes(f);
            if (b[b.length - 1] == '\n') {
                return;
            }
            int end = b.length - 1;
            while (end >= 0 && b[end] != '\n') {
                end--;
            }
            AtomicFiles.write(f, java.util.Arrays.copyOf(b, end + 1));
        } catch (IOException e) {
            throw new ModelException("cannot read " + f + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Opens {@code dir/points.jsonl} for appending (created with the folder when absent). */
    public static PointStore append(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            return new PointStore(f, w);
        } catch (IOException e) {
            throw new ModelException("cannot write " + f + ": " + AtomicFiles.describe(e), e);
        }
    }

    public Path file() {
        return file;
    }

    public synchronized void add(PointResult r) {
        if (out == null) {
            return;
        }
        try {
            out.write(ResultCodec.line(r));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new ModelException("cannot append to " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new ModelException("cannot close " + file + ": " + AtomicFiles.describe(e), e);
            } finally {
                out = null;
            }
        }
    }

    /**
     * Every result in {@code dir/points.jsonl} (empty when there is none). A corrupt line is an error naming it,
     * except a last line cut short by a kill, which is dropped (the point is evaluated again).
     */
    public static List<PointResult> read(Path dir) {
        Path f = dir.resolve(FILE);
        List<PointResult> all = new ArrayList<>();
        if (!Files.exists(f)) {
            return all;
        }
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            String pending = null;
            int pendingLine = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (pending != null) {
                    all.add(ResultCodec.read(pending, f.getFileName() + " line " + pendingLine));
                    pending = null;
                }
                if (!line.isBlank()) {
                    pending = line;
                    pendingLine = n;
                }
            }
            if (pending != null) {
                try {
                    all.add(ResultCodec.read(pending, f.getFileName() + " line " + pendingLine));
                } catch (ModelException e) {
                    if (!Files.readString(f, StandardCharsets.UTF_8).endsWith("\n")) {
                        return all; // the last line was being written when the sweep stopped
                    }
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new ModelException("cannot read " + f + ": " + AtomicFiles.describe(e), e);
        } catch (java.io.UncheckedIOException e) {
            throw new ModelException(f.getFileName() + " is not UTF-8 text", e);
        }
        return all;
    }
}
