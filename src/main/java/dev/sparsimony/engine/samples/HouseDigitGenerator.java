package dev.sparsimony.engine.samples;

import dev.sparsimony.engine.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Procedurally rendered colour digits in the manner of SVHN's cropped digits (Netzer et al., "Reading Digits in
 * Natural Images with Unsupervised Feature Learning", 2011): 32 x 32 RGB in [0, 1] (multiples of 1/255), shape
 * [n, 32, 32, 3] channels-last, the labelled digit centred and parts of its neighbours at the left and right edges.
 * Per sample: a background colour with a linear shading gradient, a digit colour of random hue whose luminance
 * differs from the background's by at least 0.2 (lighter or darker digits, as on house plates), the glyphs of
 * {@link DigitGenerator#strokes} under a random affine map (height 16 to 24 pixels, rotation, shear) with a random
 * stroke width, anti-aliased by distance, then a 3 x 3 blur and Gaussian noise. Classes are exactly balanced.
 */
public final class HouseDigitGenerator {
    public static final int SIZE = 32;
    public static final int CHANNELS = 3;
    public static final int CLASSES = 10;

    private HouseDigitGenerator() {
    }

    /** {@code n} images [n, 32, 32, 3] and labels 0..9 from {@code seed}. */
    public static Dataset generate(String name, int n, long seed) {
        return DigitGenerator.balanced(name, n, seed, new int[] {SIZE, SIZE, CHANNELS}, HouseDigitGenerator::render);
    }

    /** Relative luminance weights (ITU-R BT.601). */
    private static double luminance(double[] c) {
        return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    }

    private static double[] colour(SampleRandom r) {
        return new double[] {r.uniform(), r.uniform(), r.uniform()};
    }

    /** Renders one sample of {@code digit} into {@code img} (32 x 32 x 3, channels-last). */
    static void render(int digit, SampleRandom r, float[] img) {
        double[] bg = colour(r);
        double[] fg = colour(r);
        for (int tries = 0; Math.abs(luminance(fg) - luminance(bg)) < 0.2 && tries < 50; tries++) {
            fg = colour(r);
        }
        if (Math.abs(luminance(fg) - luminance(bg)) < 0.2) {
            fg = luminance(bg) > 0.5 ? new double[] {0.05, 0.05, 0.05} : new double[] {0.95, 0.95, 0.95};
        }
        // shading: a linear gradient of up to +-20 % across the crop
        double gx = r.gaussian(0, 0.1);
        double gy = r.gaussian(0, 0.1);
        double height = r.uniform(16, 24);
        double width = height * r.uniform(0.55, 0.8);
        double angle = StrictMath.toRadians(r.gaussian(0, 6));
        double shear = r.gaussian(0, 0.12);
        double half = r.uniform(0.9, 2.2) * height / 20;
        double cx = SIZE / 2.0 + r.gaussian(0, 1.0);
        double cy = SIZE / 2.0 + r.gaussian(0, 1.0);
        double gap = width * r.uniform(1.05, 1.35);
        List<double[]> segs = new ArrayList<>(glyph(digit, r, cx, cy, width, height, angle, shear));
        // neighbours of a house number: with probability 0.7 each, the digit on either side (mostly cut off)
        for (int side = -1; side <= 1; side += 2) {
            if (r.uniform() < 0.7) {
                segs.addAll(glyph(r.nextInt(CLASSES), r, cx + side * gap, cy + r.gaussian(0, 0.5), width, height,
                        angle, shear));
            }
        }
        float[] cover = new float[SIZE * SIZE];
        for (int py = 0; py < SIZE; py++) {
            for (int px = 0; px < SIZE; px++) {
                double x = px + 0.5;
                double y = py + 0.5;
                double best = Double.MAX_VALUE;
                for (double[] p : segs) {
                    for (int i = 0; i + 3 < p.length; i += 2) {
                        best = Math.min(best, DigitGenerator.segmentDistance2(x, y, p[i], p[i + 1], p[i + 2],
                                p[i + 3]));
                    }
                }
                cover[py * SIZE + px] = (float) Math.max(0, Math.min(1, half + 0.5 - StrictMath.sqrt(best)));
            }
        }
        double centre = r.uniform(1, 4);
        double noise = r.uniform(0.01, 0.06);
        for (int py = 0; py < SIZE; py++) {
            for (int px = 0; px < SIZE; px++) {
                double sum = 0;
                double wsum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = Math.min(SIZE - 1, Math.max(0, py + dy));
                        int xx = Math.min(SIZE - 1, Math.max(0, px + dx));
                        double w = dx == 0 && dy == 0 ? centre : (dx == 0 || dy == 0) ? 1 : 0.5;
                        wsum += w;
                        sum += w * cover[yy * SIZE + xx];
                    }
                }
                double a = sum / wsum;
                double shade = 1 + gx * (px - SIZE / 2.0) / (SIZE / 2.0) + gy * (py - SIZE / 2.0) / (SIZE / 2.0);
                for (int c = 0; c < CHANNELS; c++) {
                    double v = shade * (bg[c] * (1 - a) + fg[c] * a) + noise * r.gaussian();
                    img[(py * SIZE + px) * CHANNELS + c] = (float) (StrictMath.rint(255 * Math.max(0, Math.min(1, v)))
                            / 255);
                }
            }
        }
    }

    /** The strokes of a digit as pixel-space polylines: jittered, sheared, scaled, rotated and centred at (cx, cy). */
    private static List<double[]> glyph(int digit, SampleRandom r, double cx, double cy, double width, double height,
                                        double angle, double shear) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double jitter = r.uniform(0.01, 0.03);
        List<double[]> out = new ArrayList<>();
        for (double[] poly : DigitGenerator.strokes(digit)) {
            double[] p = new double[poly.length];
            for (int i = 0; i < poly.length; i += 2) {
                double u = poly[i] - 0.5 + r.gaussian(0, jitter);
                double v = poly[i + 1] - 0.5 + r.gaussian(0, jitter);
                u = (u + shear * v) * width;
                v *= height;
                p[i] = cx + cos * u - sin * v;
                p[i + 1] = cy + sin * u + cos * v;
            }
            out.add(p);
        }
        return out;
    }
}
