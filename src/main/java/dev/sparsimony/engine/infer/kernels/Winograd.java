package dev.sparsimony.engine.infer.kernels;

/**
 * Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks",
 * CVPR 2016) on {@link PlanarConv}'s planar arrays: each 2x2 output tile Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A from the
 * 4x4 input tile d, so a 3x3 convolution costs 16 instead of 36 multiplications per tile and input/output channel
 * pair, plus the transforms (additions only). The tile grid is PlanarConv's decimation-2 grid, d[r][c] its source
 * (e = r, f = c), and the four outputs of a tile are its 2x2 phases, i.e. the windows of a following 2x2 pooling.
 * Every step is an element-wise loop over whole arrays, so C2 vectorises it. Results differ from the direct sum by
 * float rounding only (a few ulp; the transforms have coefficients ±1 and ±1/2).
 */
final class Winograd {
    private final int cin;
    private final int cout;
    /** Transformed kernels U[ξν][o][ci]. */
    private final float[][][] u;
    private final float[][] t = new float[16][];
    private final float[][] m = new float[16][];
    /** Per ξν: the source index of V[ξν] of each input channel, for {@link PlanarConv#accumulate}. */
    private final int[][] sources;

    Winograd(int cin, int cout, int len, int eh, int ew) {
        this.cin = cin;
        this.cout = cout;
        u = new float[16][cout][cin];
        sources = new int[16][cin];
        for (int x = 0; x < 16; x++) {
            for (int ci = 0; ci < cin; ci++) {
                sources[x][ci] = (ci * eh + x / 4) * ew + x % 4;
            }
        }
        for (int i = 0; i < 16; i++) {
            t[i] = new float[len];
            m[i] = new float[len];
        }
    }

    /** U = G g Gᵀ per (ci, o) from an HWIO 3x3 kernel, output channel o scaled by scale[o] (null = 1). */
    void setWeights(float[] kernel, float[] scale) {
        double[][] g = new double[3][3];
        double[][] gg = new double[4][3];
        for (int o = 0; o < cout; o++) {
            double sc = scale == null ? 1 : scale[o];
            for (int ci = 0; ci < cin; ci++) {
                for (int ki = 0; ki < 3; ki++) {
                    for (int kj = 0; kj < 3; kj++) {
                        g[ki][kj] = kernel[((ki * 3 + kj) * cin + ci) * cout + o] * sc;
                    }
                }
                // G = [[1,0,0],[1/2,1/2,1/2],[1/2,-1/2,1/2],[0,0,1]]: rows, then columns
                for (int c = 0; c < 3; c++) {
                    gg[0][c] = g[0][c];
                    gg[1][c] = (g[0][c] + g[1][c] + g[2][c]) / 2;
                    gg[2][c] = (g[0][c] - g[1][c] + g[2][c]) / 2;
                    gg[3][c] = g[2][c];
                }
                for (int r = 0; r < 4; r++) {
                    u[r * 4][o][ci] = (float) gg[r][0];
                    u[r * 4 + 1][o][ci] = (float) ((gg[r][0] + gg[r][1] + gg[r][2]) / 2);
                    u[r * 4 + 2][o][ci] = (float) ((gg[r][0] - gg[r][1] + gg[r][2]) / 2);
                    u[r * 4 + 3][o][ci] = (float) gg[r][2];
                }
            }
        }
    }

    /**
     * Work per tile in units of one direct tap (a multiply-add of PlanarConv's four-tap loop): the 16·cin·cout
     * products, plus the transforms' additions (32 per input and 24 per output channel, each about two units).
     */
    double cost() {
        return cost(cin, cout);
    }

    static double cost(int cin, int cout) {
        return 16.0 * cin * cout + 2.0 * (32.0 * cin + 24.0 * cout);
    }

    /**
     * Replaces each channel's 16 sources d[r][c] ({@code src[(ci·eh + r)·ew + c]}) by V = Bᵀ d B, same indexing
     * (V[ξ][ν] in the place of d[ξ][ν]).
     */
    void transformInputs(float[][] src, int eh, int ew, int len) {
        for (int ci = 0; ci < cin; ci++) {
            int b0 = ci * eh * ew;
            for (int c = 0; c < 4; c++) {
                // Bᵀ d = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]] · d, column c
                float[] d0 = src[b0 + c];
                float[] d1 = src[b0 + ew + c];
                float[] d2 = src[b0 + 2 * ew + c];
                float[] d3 = src[b0 + 3 * ew + c];
                sub(t[c], d0, d2, len);
                add(t[4 + c], d1, d2, len);
                sub(t[8 + c], d2, d1, len);
                sub(t[12 + c], d1, d3, len);
            }
            for (int r = 0; r < 4; r++) {
                // (Bᵀ d) B, row r
                float[] t0 = t[r * 4];
                float[] t1 = t[r * 4 + 1];
                float[] t2 = t[r * 4 + 2];
                float[] t3 = t[r * 4 + 3];
                sub(src[b0 + r * ew], t0, t2, len);
                add(src[b0 + r * ew + 1], t1, t2, len);
                sub(src[b0 + r * ew + 2], t2, t1, len);
                sub(src[b0 + r * ew + 3], t1, t3, len);
            }
        }
    }

    /** acc[a·2 + b][0, len) = bias + output (a, b) of each tile for output channel o, from the transformed inputs. */
    void channel(int o, float[][] v, int eh, int ew, float[][] acc, float bias, int len) {
        for (int x = 0; x < 16; x++) {
            int[] s = sources[x];
            PlanarConv.accumulate(m[x], 0f, s, u[x][o], v, 0, len);
        }
        // Aᵀ M A with Aᵀ = [[1,1,1,0],[0,1,-1,-1]]: rows into t[0..7], then columns into the four phases
        for (int c = 0; c < 4; c++) {
            sum3(t[c], m[c], m[4 + c], m[8 + c], len);
            diff3(t[4 + c], m[4 + c], m[8 + c], m[12 + c], len);
        }
        for (int a = 0; a < 2; a++) {
            sum3b(acc[a * 2], t[a * 4], t[a * 4 + 1], t[a * 4 + 2], bias, len);
            diff3b(acc[a * 2 + 1], t[a * 4 + 1], t[a * 4 + 2], t[a * 4 + 3], bias, len);
        }
    }

    private static void add(float[] y, float[] a, float[] b, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = a[j] + b[j];
        }
    }

    private static void sub(float[] y, float[] a, float[] b, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = a[j] - b[j];
        }
    }

    private static void sum3(float[] y, float[] a, float[] b, float[] c, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = a[j] + b[j] + c[j];
        }
    }

    private static void diff3(float[] y, float[] a, float[] b, float[] c, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = a[j] - b[j] - c[j];
        }
    }

    private static void sum3b(float[] y, float[] a, float[] b, float[] c, float bias, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = a[j] + b[j] + c[j] + bias;
        }
    }

    private static void diff3b(float[] y, float[] a, float[] b, float[] c, float bias, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = a[j] - b[j] - c[j] + bias;
        }
    }
}
