package dev.sparsimony.engine.io;

import dev.sparsimony.engine.model.ModelException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whole-file writes that never leave a half-written file: the bytes go to a temporary file beside the target, which
 * then replaces it by rename. A failure (full disk, unwritable folder) leaves the previous file as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** What goes into a file, written to a stream (which may fail part-way, e.g. on a full disk). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Streams {@code content} into a temporary file beside {@code target}, then renames it over the target. */
    public static void write(Path target, Content content) {
        Path tmp = null;
        try {
            tmp = stage(target, content);
            move(tmp, target);
        } catch (IOException e) {
            throw new ModelException("cannot write " + target + ": " + describe(e), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes the content to a new hidden temporary file in the target's folder (created when absent). */
    private static Path stage(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.isDirectory(target)) {
            throw new java.nio.file.FileSystemException(target.toString(), null, "a folder of that name is in the way");
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        permissions(tmp, target);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        return tmp;
    }

    /**
     * Temporary files are created owner-only; the file that replaces the target gets the target's permissions, a
     * new file the usual rw-r--r-- (on file systems with POSIX permissions).
     */
    private static void permissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> p = Files.isRegularFile(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, p);
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is beside the target and hidden; nothing of the user's is lost
            }
        }
    }

    /**
     * Several files replaced together (an export): every file is first written in full to a temporary file beside
     * its target; only when all are written are they renamed into place. A failure while writing (full disk,
     * unwritable folder, a folder in the way) leaves every previous file as it was; {@link #close()} removes the
     * temporary files of a batch that was not committed.
     */
    public static final class Batch implements AutoCloseable {
        private final java.util.LinkedHashMap<Path, Content> pending = new java.util.LinkedHashMap<>();
        private final java.util.List<Path> temps = new java.util.ArrayList<>();

        public Batch add(Path target, byte[] bytes) {
            return add(target, out -> out.write(bytes));
        }

        public Batch add(Path target, String text) {
            return add(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** Adds a file (a later add of the same target replaces the earlier one). */
        public Batch add(Path target, Content content) {
            pending.put(target.toAbsolutePath().normalize(), content);
            return this;
        }

        /** The targets, in the order they were first added. */
        public java.util.List<Path> targets() {
            return java.util.List.copyOf(pending.keySet());
        }

        /** Writes every file to its temporary file, then renames them all into place. */
        public void commit() {
            java.util.List<Path> staged = new java.util.ArrayList<>();
            Path current = null;
            try {
                for (java.util.Map.Entry<Path, Content> e : pending.entrySet()) {
                    current = e.getKey();
                    Path tmp = stage(current, e.getValue());
                    temps.add(tmp);
                    staged.add(tmp);
                }
                int i = 0;
                for (Path target : pending.keySet()) {
                    current = target;
                    move(staged.get(i++), target);
                }
                pending.clear();
            } catch (IOException e) {
                throw new ModelException("cannot write " + current + ": " + describe(e), e);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            temps.forEach(AtomicFiles::deleteQuietly);
            temps.clear();
        }
    }

    public static void write(Path target, String text) {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An I/O failure in the user's words (no exception class names). */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) {
            return "a file is in the way where a folder is needed (" + ((java.nio.file.FileSystemException) e).getFile()
                    + ")";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String m = e.getMessage();
        return m == null ? "input/output error" : m.lines().findFirst().orElse("input/output error");
    }
}
