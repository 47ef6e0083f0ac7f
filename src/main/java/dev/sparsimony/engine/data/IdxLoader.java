package dev.sparsimony.engine.data;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The idx format of the MNIST files (http://yann.lecun.com/exdb/mnist/): big-endian magic 0x0000TTDD (TT element
 * type: 08 ubyte, 09 byte, 0B short, 0C int, 0D float, 0E double; DD number of dimensions), DD big-endian int32
 * dimensions, then the data; plain or gzip, detected by content. Images (magic 2051 = ubyte x 3 dims) load as raw
 * 0..255 floats; the labels file (magic 2049) is found beside the images file by the standard naming
 * {@code *-images-idx3-ubyte*} -> {@code *-labels-idx1-ubyte*} (also {@code .idx3-ubyte} -> {@code .idx1-ubyte}).
 */
final class IdxLoader implements DataLoader {
    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;

    @Override
    public String formatName() {
        return "idx (MNIST)";
    }

    @Override
    public List<String> extensions() {
        return List.of("*-idx3-ubyte", "*-idx3-ubyte.gz", "*.idx");
    }

    static int magic(byte[] head) {
        return ByteBuffer.wrap(head, 0, 4).getInt();
    }

    static boolean isIdx(byte[] head) {
        if (head.length < 8 || head[0] != 0 || head[1] != 0) {
            return false;
        }
        int t = head[2] & 0xff;
        int nd = head[3] & 0xff;
        return (t == 0x08 || t == 0x09 || t == 0x0B || t == 0x0C || t == 0x0D || t == 0x0E) && nd >= 1 && nd <= 4
                && head.length >= 4 + 4 * nd;
    }

    @Override
    public boolean accepts(Path path, byte[] head) {
        String f = DataFiles.plainName(path);
        return isIdx(head) || f.contains("idx1-ubyte") || f.contains("idx3-ubyte") || f.endsWith(".idx");
    }

    @Override
    public Dataset load(Path path, DataOptions options) throws IOException {
        String name = String.valueOf(path.getFileName());
        Tensor x = readArray(path);
        if (x.rank() == 1 && magicOf(path) == LABELS_MAGIC) {
            throw new ModelException(name + " is an idx labels file (magic 2049); load the images file (magic 2051)"
                    + " and its labels are found beside it");
        }
        return new Dataset(name, x, DataFiles.externalLabels(options, () -> companion(path), x.dim(0), name));
    }

    private static int magicOf(Path path) throws IOException {
        try (DataInputStream in = new DataInputStream(DataFiles.open(path))) {
            return in.readInt();
        }
    }

    static Path companion(Path images) {
        String f = String.valueOf(images.getFileName());
        List<String> names = new ArrayList<>();
        for (String[] r : new String[][] {{"-images-idx3-ubyte", "-labels-idx1-ubyte"},
                {"-images.idx3-ubyte", "-labels.idx1-ubyte"}, {"images-idx3-ubyte", "labels-idx1-ubyte"}}) {
            if (f.contains(r[0])) {
                String n = f.replace(r[0], r[1]);
                names.add(n);
                names.add(n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n + ".gz");
            }
        }
        for (String n : names) {
            Path p = images.resolveSibling(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static int[] readLabels(Path path) throws IOException {
        Tensor t = readArray(path);
        return Labels.fromTensor(t, "'" + path.getFileName() + "'");
    }

    /** Reads any idx file into a float tensor of its dimensions. */
    static Tensor readArray(Path path) throws IOException {
        String name = String.valueOf(path.getFileName());
        try (DataInputStream in = new DataInputStream(DataFiles.open(path))) {
            byte[] m = in.readNBytes(4);
            if (m.length < 4 || m[0] != 0 || m[1] != 0) {
                throw new ModelException(name + " is not an idx file: its magic number is "
                        + (m.length < 4 ? "missing" : String.valueOf(ByteBuffer.wrap(m).getInt()))
                        + " (MNIST images have 2051, labels 2049)");
            }
            int type = m[2] & 0xff;
            int nd = m[3] & 0xff;
            int size = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                case 0x0E -> 8;
                default -> throw new ModelException(name + " has an unknown idx element type 0x"
                        + Integer.toHexString(type) + " (magic " + ByteBuffer.wrap(m).getInt()
                        + "; MNIST images have 2051, labels 2049)");
            };
            if (nd < 1 || nd > 4) {
                throw new ModelException(name + " has " + nd + " dimensions in its idx magic ("
                        + ByteBuffer.wrap(m).getInt() + "); MNIST images have 2051, labels 2049");
            }
            int[] shape = new int[nd];
            long n = 1;
            try {
                for (int i = 0; i < nd; i++) {
                    shape[i] = in.readInt();
                    if (shape[i] < 0) {
                        throw new ModelException(name + " has a negative idx dimension " + shape[i]);
                    }
                    n *= shape[i];
                }
            } catch (EOFException e) {
                throw new ModelException(name + " is truncated: it ends inside the idx header");
            }
            if (n * size > Integer.MAX_VALUE - 16) {
                throw new ModelException(name + " is too large (" + n + " values)");
            }
            byte[] data = readFully(in, (int) (n * size));
            if (data.length < n * size) {
                throw new ModelException(name + " is truncated: header says " + dims(shape) + " values of "
                        + size + " byte(s) (" + n * size + " bytes) but only " + data.length + " bytes follow");
            }
            float[] f = new float[(int) n];
            ByteBuffer bb = ByteBuffer.wrap(data);
            for (int i = 0; i < f.length; i++) {
                f[i] = switch (type) {
                    case 0x08 -> data[i] & 0xff;
                    case 0x09 -> data[i];
                    case 0x0B -> bb.getShort(2 * i);
                    case 0x0C -> bb.getInt(4 * i);
                    case 0x0D -> bb.getFloat(4 * i);
                    default -> (float) bb.getDouble(8 * i);
                };
            }
            return new Tensor(shape, f);
        }
    }

    /** Reads up to n bytes; a gzip stream that ends early yields the bytes read so far (reported as truncated). */
    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        try {
            while (off < n) {
                int r = in.read(b, off, n - off);
                if (r < 0) {
                    break;
                }
                off += r;
            }
        } catch (EOFException e) {
            // "Unexpected end of ZLIB input stream": keep what was read
        }
        return off == n ? b : java.util.Arrays.copyOf(b, off);
    }

    private static String dims(int[] s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            sb.append(i == 0 ? "" : "x").append(s[i]);
        }
        return sb.toString();
    }
}
