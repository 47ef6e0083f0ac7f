package dev.sparsimony.engine.io.npy;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Problems;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} archives: a zip of {@code .npy} files (numpy/lib/npyio.py, {@code savez} stores entries,
 * {@code savez_compressed} deflates them; both are read). Keys are the entry names without ".npy".
 */
public final class Npz {
    private Npz() {
    }

    /** True when the bytes start like a zip archive (local file header "PK\3\4", or "PK\5\6" for an empty one). */
    public static boolean hasMagic(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /** All arrays of the archive, in the archive's order. */
    public static LinkedHashMap<String, NpyArray> read(Path path) {
        String name = String.valueOf(path.getFileName());
        if (!Files.exists(path)) {
            throw Npy.notFound(name, path);
        }
        LinkedHashMap<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String entry = Problems.excerpt(e.getName());
                String key = entry.endsWith(".npy") ? entry.substring(0, entry.length() - 4) : entry;
                // ZipFile does not check the CRC-32 of what it unpacks (ZipInputStream does): check it here, as
                // NumPy does ("Bad CRC-32"), so a damaged member is an error rather than wrong numbers
                CheckedInputStream crc = new CheckedInputStream(zip.getInputStream(e), new CRC32());
                try (InputStream in = new BufferedInputStream(crc, 1 << 16)) {
                    out.put(key, Npy.read(in, name + "[" + entry + "]"));
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (ZipException ex) {
                    throw new ModelException(name + " is corrupt: entry '" + entry + "' cannot be unpacked ("
                            + Problems.inUserWords(ex) + ")", ex);
                } catch (java.io.EOFException ex) {
                    throw new ModelException(name + " is truncated: entry '" + entry + "' ends early", ex);
                }
                if (e.getCrc() != -1 && crc.getChecksum().getValue() != e.getCrc()) {
                    throw new ModelException(name + " is corrupt: entry '" + entry + "' fails its CRC-32 check"
                            + " (the archive records " + Long.toHexString(e.getCrc()) + ", its content gives "
                            + Long.toHexString(crc.getChecksum().getValue()) + ")");
                }
            }
        } catch (ZipException e) {
            throw new ModelException(name + " is not a valid .npz (zip) archive: " + Problems.inUserWords(e), e);
        } catch (IOException e) {
            throw Npy.readError(name, path, e);
        }
        return out;
    }

    /**
     * Entry timestamp 1980-01-01 00:00 (the earliest zip date, also what Python's zipfile gives NumPy's savez
     * entries), so that writing the same arrays gives the same bytes.
     */
    private static final long FIXED_ENTRY_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    /**
     * Writes the arrays as one deflated entry per key ("key.npy"), like {@code numpy.savez_compressed}. The
     * archive is written to a temporary file first and moved into place, so readers never see a partial file.
     */
    public static void write(Path path, Map<String, NpyArray> arrays) {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            try (OutputStream fo = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 ZipOutputStream zip = new ZipOutputStream(fo)) {
                zip.setLevel(Deflater.BEST_SPEED);
                for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                    ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                    entry.setTime(FIXED_ENTRY_TIME); // same bytes on every write: reproducible files
                    zip.putNextEntry(entry);
                    Npy.write(new NonClosing(zip), e.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelException("cannot write " + path + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort clean-up of the temporary file
                }
            }
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
