package dev.sparsimony.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file writes: a stream that fails part-way (a full disk) or a bad target leaves the previous file intact. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    /** Writes half of its bytes, then fails as a full disk does. */
    private static AtomicFiles.Content diskFullAfter(int bytes) {
        return out -> {
            out.write(new byte[bytes]);
            out.flush();
            throw new IOException("No space left on device");
        };
    }

    private List<String> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailingStreamLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("report.html");
        Files.writeString(f, "previous");
        ModelException e = assertThrows(ModelException.class, () -> AtomicFiles.write(f, diskFullAfter(100_000)));
        assertEquals("cannot write " + f + ": No space left on device", e.getMessage());
        assertEquals("previous", Files.readString(f));
        assertEquals(List.of("report.html"), files());
    }

    @Test
    void aBatchReplacesNothingUnlessEveryFileIsWritten() throws IOException {
        Path a = Files.writeString(dir.resolve("a.yml"), "old a");
        Path b = Files.writeString(dir.resolve("b.onnx"), "old b");
        AtomicFiles.Batch batch = new AtomicFiles.Batch().add(a, "new a").add(b, diskFullAfter(10))
                .add(dir.resolve("c.csv"), "new c");
        ModelException e = assertThrows(ModelException.class, batch::commit);
        assertEquals("cannot write " + b + ": No space left on device", e.getMessage());
        assertEquals("old a", Files.readString(a), "written before the failure, but not renamed into place");
        assertEquals("old b", Files.readString(b));
        assertEquals(List.of("a.yml", "b.onnx"), files());

        new AtomicFiles.Batch().add(a, "new a").add(dir.resolve("c.csv"), "new c").commit();
        assertEquals("new a", Files.readString(a));
        assertEquals(List.of("a.yml", "b.onnx", "c.csv"), files());
    }

    @Test
    void aFolderInTheWayAndAFileWhereAFolderShouldBeAreClearErrors() throws IOException {
        Files.createDirectory(dir.resolve("point.json"));
        Path keep = Files.writeString(dir.resolve("keep.txt"), "keep");
        AtomicFiles.Batch batch = new AtomicFiles.Batch().add(keep, "changed").add(dir.resolve("point.json"), "{}");
        ModelException e = assertThrows(ModelException.class, batch::commit);
        assertEquals("cannot write " + dir.resolve("point.json") + ": a folder of that name is in the way",
                e.getMessage());
        assertEquals("keep", Files.readString(keep));

        Path file = Files.writeString(dir.resolve("out"), "a file");
        e = assertThrows(ModelException.class, () -> AtomicFiles.write(file.resolve("x.json"), "{}"));
        assertTrue(e.getMessage().startsWith("cannot write " + file.resolve("x.json") + ": a file is in the way"
                + " where a folder is needed"), e.getMessage());
        assertEquals("a file", Files.readString(file));
    }

    @Test
    void aReplacedFileKeepsItsPermissionsAndANewOneIsReadableByAll() throws IOException {
        Path f = Files.writeString(dir.resolve("model.json"), "{}");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.write(f, "{\"a\": 1}");
        assertEquals("rw-rw-r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)));
        Path g = dir.resolve("new.json");
        AtomicFiles.write(g, "{}");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(g)));
    }
}
