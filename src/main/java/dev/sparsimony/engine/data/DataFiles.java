package dev.sparsimony.engine.data;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.Problems;
import dev.sparsimony.engine.model.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Entry point for loading validation data from any supported file: picks the loader by content (magic numbers),
 * then by extension. Rules per format: docs/file-formats.md.
 */
public final class DataFiles {
    private static final List<DataLoader> LOADERS = new ArrayList<>();

    static {
        // most specific (magic numbers) first, then text formats
        register(new NpyLoader());
        register(new NpzLoader());
        register(new IdxLoader());
        register(new CsvLoader());
        register(new DatLoader());
    }

    private DataFiles() {
    }

    public static synchronized void register(DataLoader loader) {
        LOADERS.add(loader);
    }

    public static synchronized List<DataLoader> loaders() {
        return List.copyOf(LOADERS);
    }

    public static Dataset load(Path path) {
        return load(path, DataOptions.DEFAULT);
    }

    /**
     * Loads a data file, with one-line errors for missing, unreadable, unsupported or malformed files; data without
     * samples is an error, and NaN or infinite values are refused ({@link NonFinite.Policy#REFUSE}).
     */
    public static Dataset load(Path path, DataOptions options) {
        return load(path, options, NonFinite.Policy.REFUSE);
    }

    /** As {@link #load(Path, DataOptions)}, with non-finite values refused or allowed by {@code policy}. */
    public static Dataset load(Path path, DataOptions options, NonFinite.Policy policy) {
        DataOptions opt = options == null ? DataOptions.DEFAULT : options;
        byte[] head = probe(path);
        for (DataLoader l : loaders()) {
            if (l.accepts(path, head)) {
                Dataset d = guard(path, l.formatName(), () -> l.load(path, opt));
                if (opt.ignoreLabels() && d.hasLabels()) {
                    d = d.withLabels(null);
                }
                checkContent(d, path, policy);
                return d.scaled(opt.scale());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (DataLoader l : loaders()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(l.formatName()).append(' ')
                    .append(String.join("/", l.extensions()));
        }
        throw new ModelException("unsupported data file " + path.getFileName() + "; supported: " + sb);
    }

    /**
     * Reads an hls4ml-style {@code .dat} text file (one sample per line, values separated by spaces) as a
     * [lines, values per line] tensor, e.g. {@code tb_output_predictions.dat} as reference outputs.
     */
    public static Tensor loadDat(Path path) {
        probe(path);
        return guard(path, "text data", () -> DatLoader.readMatrix(path));
    }

    /**
     * Reads a labels file of any supported format: idx labels (magic 2049), or any data file whose array holds
     * class indices ([N] or [N,1]) or one-hot rows ([N,k]).
     */
    public static int[] loadLabels(Path path) {
        byte[] head = probe(path);
        String name = String.valueOf(path.getFileName());
        if (IdxLoader.isIdx(head) && IdxLoader.magic(head) == IdxLoader.LABELS_MAGIC) {
            return guard(path, "idx", () -> IdxLoader.readLabels(path));
        }
        Tensor t = load(path, DataOptions.DEFAULT.withoutLabels()).x();
        return Labels.fromTensor(t, name);
    }

    /** Empty data is an error (an accuracy over 0 samples means nothing); non-finite values follow the policy. */
    static void checkContent(Dataset d, Path path, NonFinite.Policy policy) {
        String name = String.valueOf(path.getFileName());
        if (d.size() == 0) {
            throw new ModelException("data '" + name + "' holds no samples (shape " + d.x().shapeString() + ")");
        }
        if (d.x().size() == 0) {
            throw new ModelException("data '" + name + "' holds " + d.size() + " samples without values (shape "
                    + d.x().shapeString() + ")");
        }
        NonFinite.Finding f = NonFinite.scan("data '" + name + "'", d.x().data(), false);
        NonFinite.check(f == null ? List.of() : List.of(f), policy, name, "values");
    }

    // ------------------------------------------------------------------ shared helpers

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T guard(Path path, String format, IoSupplier<T> s) {
        String name = String.valueOf(path.getFileName());
        try {
            return s.get();
        } catch (ModelException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new ModelException("data file not found: " + e.getFile());
        } catch (java.io.EOFException e) {
            throw new ModelException("data file " + name + " is truncated (it ends early"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (ZipException e) {
            throw new ModelException("data file " + name + " is damaged (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelException("cannot read data file " + name + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ModelException("data file " + name + " is too large for the memory given to Sparsimony"
                    + " (raise -Xmx, or use fewer samples)", e);
        } catch (RuntimeException e) {
            throw new ModelException("data file " + name + " is corrupt or not " + format + " data ("
                    + Problems.inUserWords(e) + ")", e);
        } catch (StackOverflowError e) {
            throw new ModelException("data file " + name + " is corrupt: its structure is nested too deeply", e);
        }
    }

    /** Checks the file exists and is readable; returns its first bytes (gunzipped when gzip-compressed). */
    static byte[] probe(Path path) {
        if (path == null) {
            throw new ModelException("no data file given");
        }
        if (!Files.exists(path)) {
            throw new ModelException("data file not found: " + path);
        }
        if (Files.isDirectory(path)) {
            throw new ModelException("data path " + path + " is a directory; give a data file");
        }
        if (!Files.isRegularFile(path)) {
            // a named pipe or device would block the reader forever (or never end)
            throw new ModelException("data path " + path + " is not a regular file (a pipe or a device?)");
        }
        if (!Files.isReadable(path)) {
            throw new ModelException("data file is not readable: " + path);
        }
        try (InputStream in = open(path)) {
            // a truncated gzip still yields its first bytes, so the loader can report what is missing
            byte[] b = new byte[64];
            int n = 0;
            try {
                for (int r; n < b.length && (r = in.read(b, n, b.length - n)) >= 0; ) {
                    n += r;
                }
            } catch (java.io.EOFException e) {
                // keep the bytes read so far
            }
            return java.util.Arrays.copyOf(b, n);
        } catch (ZipException e) {
            throw new ModelException("data file " + path.getFileName() + " is a truncated or damaged gzip file ("
                    + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new ModelException("data file " + path.getFileName() + " is truncated (it ends inside the gzip"
                    + " header)", e);
        } catch (AccessDeniedException e) {
            throw new ModelException("data file is not readable: " + path);
        } catch (IOException e) {
            throw new ModelException("data file " + path.getFileName() + " cannot be read (" + e.getMessage()
                    + ")", e);
        }
    }

    static boolean isGzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(2);
            return b.length == 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
        }
    }

    /** A buffered stream of the file's content, gunzipped when the file is gzip-compressed. */
    static InputStream open(Path path) throws IOException {
        boolean gz = isGzip(path);
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        return gz ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    /** True when the first non-blank character of the text could start a number (digit, sign or point). */
    static boolean startsNumeric(byte[] head) {
        for (byte b : head) {
            char c = (char) (b & 0xff);
            if (!Character.isWhitespace(c)) {
                return Character.isDigit(c) || c == '-' || c == '+' || c == '.';
            }
        }
        return false;
    }

    /** Lower-case file name without a trailing ".gz". */
    static String plainName(Path path) {
        String f = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        return f.endsWith(".gz") ? f.substring(0, f.length() - 3) : f;
    }

    static boolean hasExtension(Path path, String... exts) {
        String f = plainName(path);
        for (String e : exts) {
            if (f.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    /** True when the head looks like text (no NUL or other control bytes besides tab/CR/LF). */
    static boolean isText(byte[] head) {
        if (head.length == 0) {
            return false;
        }
        for (byte b : head) {
            int c = b & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Labels from a separate file: none when {@code options.ignoreLabels()}, else {@code options.labelsFile}, else
     * the format's companion file ({@code companion} may give null: none), checked against the sample count.
     */
    static int[] externalLabels(DataOptions options, Supplier<Path> companion, int samples, String dataName) {
        if (options.ignoreLabels()) {
            return null;
        }
        Path lf = options.labelsFile() != null ? options.labelsFile() : companion.get();
        return lf == null ? null : labelsFromFile(lf, samples, dataName);
    }

    /** Labels from a separate file (options.labelsFile) checked against the sample count. */
    static int[] labelsFromFile(Path labelsFile, int samples, String dataName) {
        int[] l = loadLabels(labelsFile);
        if (l.length != samples) {
            throw new ModelException("data '" + dataName + "' has " + samples + " samples but labels file "
                    + labelsFile.getFileName() + " has " + l.length + " labels");
        }
        return l;
    }
}
