package dev.sparsimony.engine.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any shape, any float32 values (NaN, infinities, signed zeros included), either order, either endianness. */
class NpyPropertyTest {
    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(0, 4).array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    @Property(tries = 200)
    void float32RoundTrips(@ForAll("shapes") int[] shape, @ForAll boolean fortran, @ForAll boolean big,
                           @ForAll long seed) throws IOException {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        java.util.Random r = new java.util.Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = Float.intBitsToFloat(r.nextInt());
        }
        NpyArray a = new NpyArray(big ? ">f4" : "<f4", shape, f, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a, fortran);
        NpyArray b = Npy.read(new ByteArrayInputStream(out.toByteArray()), "p.npy");
        assertEquals(a, b);
    }

    @Property(tries = 100)
    void int64RoundTrips(@ForAll("shapes") int[] shape, @ForAll boolean fortran, @ForAll long seed)
            throws IOException {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        java.util.Random r = new java.util.Random(seed);
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = r.nextLong();
        }
        NpyArray a = new NpyArray(">i8", shape, null, l);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a, fortran);
        assertEquals(a, Npy.read(new ByteArrayInputStream(out.toByteArray()), "p.npy"));
    }
}
