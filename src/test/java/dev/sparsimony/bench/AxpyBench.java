package dev.sparsimony.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The loop shapes behind {@code PlanarConv}'s passes: which ones JDK 17's C2 vectorises and how fast. One output
 * array and four inputs with scalar weights ({@code mulAdd4}, the kernel's form; {@code fma4} the same with
 * {@code Math.fma}), six inputs ({@code mulAdd6}: too many arrays, not unrolled, scalar), two outputs sharing two or
 * four inputs. Score: ns per call; multiply-adds per call = taps x len.
 * Run: {@code java -cp target/test-classes:target/classes:CP org.openjdk.jmh.Main AxpyBench -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AxpyBench {
    @Param({"180", "400", "784", "3136"})
    public int len;
    float[] y, y2, x0, x1, x2, x3, x4, x5;
    float a0 = 0.1f, a1 = 0.2f, a2 = 0.3f, a3 = 0.4f;

    @Setup
    public void setUp() {
        y = new float[len]; y2 = new float[len]; x0 = new float[len]; x1 = new float[len]; x2 = new float[len]; x3 = new float[len]; x4 = new float[len]; x5 = new float[len];
        for (int i = 0; i < len; i++) { x0[i] = i; x1[i] = -i; x2[i] = 1; x3[i] = 2; x4[i] = 3; x5[i] = i * 0.5f; }
    }

    @Benchmark
    public float[] mulAdd4() {
        float[] y = this.y, x0 = this.x0, x1 = this.x1, x2 = this.x2, x3 = this.x3;
        float a0 = this.a0, a1 = this.a1, a2 = this.a2, a3 = this.a3;
        for (int j = 0; j < len; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
        return y;
    }

    @Benchmark
    public float[] fma4() {
        float[] y = this.y, x0 = this.x0, x1 = this.x1, x2 = this.x2, x3 = this.x3;
        float a0 = this.a0, a1 = this.a1, a2 = this.a2, a3 = this.a3;
        for (int j = 0; j < len; j++) {
            y[j] = Math.fma(a3, x3[j], Math.fma(a2, x2[j], Math.fma(a1, x1[j], Math.fma(a0, x0[j], y[j]))));
        }
        return y;
    }

    @Benchmark
    public float[] mulAdd6() {
        float[] y = this.y, x0 = this.x0, x1 = this.x1, x2 = this.x2, x3 = this.x3, x4 = this.x4, x5 = this.x5;
        float a0 = this.a0, a1 = this.a1, a2 = this.a2, a3 = this.a3;
        for (int j = 0; j < len; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j] + a0 * x4[j] + a1 * x5[j];
        }
        return y;
    }

    @Benchmark
    public float[] twoByTwo() {
        float[] y = this.y, y2 = this.y2, x0 = this.x0, x1 = this.x1;
        float a0 = this.a0, a1 = this.a1, a2 = this.a2, a3 = this.a3;
        for (int j = 0; j < len; j++) {
            float u = x0[j], v = x1[j];
            y[j] += a0 * u + a1 * v;
            y2[j] += a2 * u + a3 * v;
        }
        return y;
    }

    @Benchmark
    public float[] twoByFour() {
        float[] y = this.y, y2 = this.y2, x0 = this.x0, x1 = this.x1, x2 = this.x2, x3 = this.x3;
        float a0 = this.a0, a1 = this.a1, a2 = this.a2, a3 = this.a3;
        for (int j = 0; j < len; j++) {
            float u = x0[j], v = x1[j], s = x2[j], t = x3[j];
            y[j] += a0 * u + a1 * v + a2 * s + a3 * t;
            y2[j] += a3 * u + a2 * v + a1 * s + a0 * t;
        }
        return y;
    }
}
