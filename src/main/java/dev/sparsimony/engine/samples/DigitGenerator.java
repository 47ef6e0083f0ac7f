package dev.sparsimony.engine.samples;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Procedurally rendered handwritten-like digits, 28 x 28 grey levels in [0, 1] (white stroke on black, like
 * MNIST pixel/255), shape [n, 28, 28, 1] channels-last. Each digit is a few strokes (lines and elliptic arcs in a
 * unit box); per sample the control points are jittered, the glyph gets a random affine transform (rotation,
 * anisotropic scale, shear, shift) and stroke thickness, is rendered anti-aliased by distance to the strokes, then
 * blurred, dimmed, noised and rounded to multiples of 1/255. Classes are exactly balanced (sample i has class i mod 10 before a seeded shuffle).
 */
public final class DigitGenerator {
    public static final int SIZE = 28;
    public static final int CLASSES = 10;
    /** Like MNIST, the glyph's unit box is drawn about 20 x 20 pixels, centred. */
    private static final double BOX = 20;

    private DigitGenerator() {
    }

    /** {@code n} images [n, 28, 28, 1] and labels 0..9 from {@code seed}. */
    public static Dataset generate(String name, int n, long seed) {
        return balanced(name, n, seed, new int[] {SIZE, SIZE, 1}, DigitGenerator::render);
    }

    /** Renders one sample of a class into a per-sample image array. */
    interface Renderer {
        void render(int label, SampleRandom r, float[] img);
    }

    /**
     * {@code n} samples of the given per-sample shape, classes exactly balanced (sample i has class i mod 10 before
     * a seeded shuffle), each rendered in turn from one random stream.
     */
    static Dataset balanced(String name, int n, long seed, int[] sampleShape, Renderer renderer) {
        if (n < 0) {
            throw new ModelException("number of digits must be 0 or more, got " + n);
        }
        SampleRandom r = new SampleRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        r.shuffle(labels);
        int per = 1;
        for (int d : sampleShape) {
            per *= d;
        }
        float[] x = new float[n * per];
        float[] img = new float[per];
        for (int i = 0; i < n; i++) {
            renderer.render(labels[i], r, img);
            System.arraycopy(img, 0, x, i * per, per);
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return new Dataset(name, Tensor.of(x, shape), labels);
    }

    /** Strokes of a digit as polylines of (x, y) points in a unit box, y pointing down. */
    static List<double[]> strokes(int digit) {
        List<double[]> s = new ArrayList<>();
        switch (digit) {
            case 0 -> s.add(arc(0.5, 0.5, 0.28, 0.42, 0, 360));
            case 1 -> {
                s.add(line(0.52, 0.08, 0.5, 0.92));
                s.add(line(0.52, 0.08, 0.36, 0.24));
            }
            case 2 -> {
                s.add(concat(arc(0.5, 0.3, 0.25, 0.22, -165, 25), line(0.73, 0.39, 0.24, 0.92)));
                s.add(line(0.24, 0.92, 0.8, 0.92));
            }
            case 3 -> {
                s.add(arc(0.48, 0.29, 0.24, 0.2, -150, 90));
                s.add(arc(0.48, 0.7, 0.27, 0.22, -90, 150));
            }
            case 4 -> {
                s.add(polyline(0.62, 0.92, 0.62, 0.08, 0.2, 0.65, 0.82, 0.65));
            }
            case 5 -> {
                s.add(polyline(0.76, 0.08, 0.33, 0.08, 0.3, 0.46));
                s.add(arc(0.5, 0.67, 0.26, 0.25, -125, 150));
            }
            case 6 -> {
                s.add(polyline(0.7, 0.08, 0.45, 0.28, 0.29, 0.56, 0.27, 0.7));
                s.add(arc(0.5, 0.7, 0.23, 0.22, 0, 360));
            }
            case 7 -> s.add(polyline(0.2, 0.08, 0.8, 0.08, 0.42, 0.92));
            case 8 -> {
                s.add(arc(0.5, 0.28, 0.2, 0.2, 0, 360));
                s.add(arc(0.5, 0.7, 0.25, 0.22, 0, 360));
            }
            case 9 -> {
                s.add(arc(0.5, 0.3, 0.23, 0.22, 0, 360));
                s.add(line(0.73, 0.3, 0.66, 0.92));
            }
            default -> throw new IllegalArgumentException("digit " + digit);
        }
        return s;
    }

    private static double[] line(double x0, double y0, double x1, double y1) {
        return new double[] {x0, y0, x1, y1};
    }

    private static double[] polyline(double... xy) {
        return xy.clone();
    }

    /** Elliptic arc from angle a0 to a1 (degrees; 0 = right, 90 = down) as a polyline. */
    private static double[] arc(double cx, double cy, double rx, double ry, double a0, double a1) {
        int seg = Math.max(4, (int) Math.ceil(Math.abs(a1 - a0) / 20));
        double[] p = new double[2 * (seg + 1)];
        for (int i = 0; i <= seg; i++) {
            double a = StrictMath.toRadians(a0 + (a1 - a0) * i / seg);
            p[2 * i] = cx + rx * StrictMath.cos(a);
            p[2 * i + 1] = cy + ry * StrictMath.sin(a);
        }
        return p;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = new double[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Renders one sample of {@code digit} into {@code img} (28 x 28, row-major). */
    static void render(int digit, SampleRandom r, float[] img) {
        // random affine map of the unit box (centred at 0.5, 0.5) to pixel coordinates
        double angle = StrictMath.toRadians(r.gaussian(0, 12));
        double sx = BOX * r.uniform(0.75, 1.1);
        double sy = BOX * r.uniform(0.85, 1.1);
        double shear = r.gaussian(0, 0.18);
        double tx = SIZE / 2.0 + r.gaussian(0, 1.2);
        double ty = SIZE / 2.0 + r.gaussian(0, 1.2);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double jitter = r.uniform(0.015, 0.05);
        List<double[]> segs = new ArrayList<>();
        for (double[] poly : strokes(digit)) {
            double[] p = new double[poly.length];
            double dx = r.gaussian(0, jitter);
            double dy = r.gaussian(0, jitter);
            for (int i = 0; i < poly.length; i += 2) {
                // each stroke moves a little as a whole, each point a little more
                double u = poly[i] - 0.5 + dx + r.gaussian(0, jitter * 0.5);
                double v = poly[i + 1] - 0.5 + dy + r.gaussian(0, jitter * 0.5);
                u += shear * v;
                u *= sx;
                v *= sy;
                p[i] = tx + cos * u - sin * v;
                p[i + 1] = ty + sin * u + cos * v;
            }
            segs.add(p);
        }
        double half = r.uniform(0.7, 1.6); // stroke half-width in pixels
        float[] raw = new float[SIZE * SIZE];
        for (int py = 0; py < SIZE; py++) {
            for (int px = 0; px < SIZE; px++) {
                double cx = px + 0.5;
                double cy = py + 0.5;
                double best = Double.MAX_VALUE;
                for (double[] p : segs) {
                    for (int i = 0; i + 3 < p.length; i += 2) {
                        best = Math.min(best, segmentDistance2(cx, cy, p[i], p[i + 1], p[i + 2], p[i + 3]));
                    }
                }
                double d = StrictMath.sqrt(best);
                raw[py * SIZE + px] = (float) Math.max(0, Math.min(1, half + 0.5 - d));
            }
        }
        // 3 x 3 blur with a random centre weight, then a random ink level, additive noise and clipping
        double centre = r.uniform(1, 4);
        double ink = r.uniform(0.75, 1.0);
        double noise = r.uniform(0.0, 0.1);
        for (int py = 0; py < SIZE; py++) {
            for (int px = 0; px < SIZE; px++) {
                double sum = 0;
                double wsum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = py + dy;
                        int xx = px + dx;
                        double w = dx == 0 && dy == 0 ? centre : (dx == 0 || dy == 0) ? 1 : 0.5;
                        wsum += w;
                        if (yy >= 0 && yy < SIZE && xx >= 0 && xx < SIZE) {
                            sum += w * raw[yy * SIZE + xx];
                        }
                    }
                }
                double v = ink * Math.min(1, 1.15 * sum / wsum) + noise * r.gaussian();
                // stored as k / 255 like MNIST's pixel / 255 (also keeps the committed files compressible)
                img[py * SIZE + px] = (float) (StrictMath.rint(255 * Math.max(0, Math.min(1, v))) / 255);
            }
        }
    }

    static double segmentDistance2(double px, double py, double x0, double y0, double x1, double y1) {
        double vx = x1 - x0;
        double vy = y1 - y0;
        double len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : ((px - x0) * vx + (py - y0) * vy) / len2;
        t = Math.max(0, Math.min(1, t));
        double ex = x0 + t * vx - px;
        double ey = y0 + t * vy - py;
        return ex * ex + ey * ey;
    }
}
