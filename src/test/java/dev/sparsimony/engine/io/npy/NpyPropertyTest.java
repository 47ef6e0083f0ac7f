package dev.sparsimony.engine.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsimony.engine.model.Tensor;
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
        int n = Math.toIntExact(Tensor.numel(shape));
        java.util.Random r = new java.util.Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = Float.intBitsToFloat(r.nextInt());
        }
        NpyArray a = new NpyArray(big ? ">f4" : "<f4", shape, f, null);
        assertEquals(a, roundTrip(a, fortran));
    }

    @Property(tries = 100)
    void int64RoundTrips(@ForAll("shapes") int[] shape, @ForAll boolean fortran, @ForAll long seed)
            throws IOException {
        int n = Math.toIntExact(Tensor.numel(shape));
        java.util.Random r = new java.util.Random(seed);
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = r.nextLong();
        }
        NpyArray a = new NpyArray(">i8", shape, null, l);
        assertEquals(a, roundTrip(a, fortran));
    }

    private static NpyArray roundTrip(NpyArray a, boolean fortran) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a, fortran);
        return Npy.read(new ByteArrayInputStream(out.toByteArray()), "p.npy");
    }
}
