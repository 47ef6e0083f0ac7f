package dev.sparsimony.engine.storage;

/**
 * Storage of a compressed model in bits: dense at 32-bit float (the original), dense at the quantized widths,
 * CSR, relative indexing and Huffman-coded relative indexing, with the best sparse format's compression ratio
 * against the 32-bit dense original.
 */
public record StorageReport(long originalBits, long denseBits, long csrBits, long relativeBits, long huffmanBits) {
    public long bestBits() {
        return Math.min(denseBits, Math.min(csrBits, Math.min(relativeBits, huffmanBits)));
    }

    public double compressionRatio() {
        return Storage.ratio(originalBits, bestBits());
    }

    public StorageReport plus(StorageReport o) {
        return new StorageReport(originalBits + o.originalBits, denseBits + o.denseBits, csrBits + o.csrBits,
                relativeBits + o.relativeBits, huffmanBits + o.huffmanBits);
    }

    public static final StorageReport ZERO = new StorageReport(0, 0, 0, 0, 0);
}
