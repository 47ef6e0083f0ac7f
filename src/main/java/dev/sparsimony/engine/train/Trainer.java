package dev.sparsimony.engine.train;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic mini-batch training of IR models (Dense, Conv including grouped and depthwise, Pool, global
 * pooling, BatchNorm frozen or trained, Flatten, activations, residual Adds, final Softmax) on softmax cross-entropy with Adam, in plain single-threaded Java loops: the same model, data,
 * masks and {@link TrainConfig} give bit-identical weights on every run and machine (Java 17 floating point is
 * strict and the transcendental functions come from {@link StrictMath}).
 *
 * <p>Masks (for fine-tuning pruned models) map a Dense/Conv node name to a {@code float[]} over its kernel
 * (row-major, same length): zero entries are pruned. Pruned weights are set to zero at the start, their
 * gradients are zeroed before every step and they are zeroed again after it, so they stay exactly zero.
 */
public final class Trainer {
    private static final int EVAL_BATCH = 256;

    private Trainer() {
    }

    /** Trains without validation data. */
    public static TrainResult train(Model init, Dataset train, TrainConfig cfg, Map<String, float[]> masks,
                                    ProgressListener listener) {
        return train(init, train, null, cfg, masks, listener);
    }

    /**
     * Trains {@code init} on {@code train}; when {@code validation} is given its loss and accuracy are reported
     * after every epoch. {@code masks} and {@code listener} may be null.
     */
    public static TrainResult train(Model init, Dataset train, Dataset validation, TrainConfig cfg,
                                    Map<String, float[]> masks, ProgressListener listener) {
        ProgressListener p = listener == null ? ProgressListener.NONE : listener;
        Network net = Network.compile(init, masks, cfg.trainBatchNorm());
        check(net, train, "training");
        if (validation != null) {
            check(net, validation, "validation");
        }
        int n = train.size();
        int in = net.inSize;
        float[] data = train.x().data();
        int[] labels = train.labels();
        int batch = Math.min(cfg.batchSize(), n);
        float[] xb = new float[batch * in];
        int[] yb = new int[batch];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        int batches = (n + batch - 1) / batch;
        List<EpochStats> history = new ArrayList<>();
        long step = 0;
        boolean cancelled = false;
        for (int epoch = 1; epoch <= cfg.epochs() && !cancelled; epoch++) {
            shuffle(order, rng);
            double lossSum = 0;
            double correct = 0;
            int seen = 0;
            for (int bi = 0; bi < batches; bi++) {
                if (p.isCancelled()) {
                    cancelled = true;
                    break;
                }
                int from = bi * batch;
                int m = Math.min(batch, n - from);
                for (int s = 0; s < m; s++) {
                    int idx = order[from + s];
                    System.arraycopy(data, idx * in, xb, s * in, in);
                    yb[s] = labels[idx];
                }
                for (Param par : net.params) {
                    java.util.Arrays.fill(par.g, 0f);
                }
                double[] st = net.lossAndGradients(xb, yb, m);
                lossSum += st[0];
                correct += st[1];
                seen += m;
                adamStep(net.params, cfg, ++step);
                p.onBatch(epoch, bi + 1, batches);
            }
            if (cancelled) {
                break;
            }
            Evaluation val = validation == null ? null : evaluate(net, validation);
            EpochStats es = new EpochStats(epoch, lossSum / seen, correct / seen,
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy());
            history.add(es);
            p.onEpoch(es);
        }
        return new TrainResult(net.toModel(), history, cancelled);
    }

    /** Mean cross-entropy and top-1 accuracy of a model on labelled data, using the trainer's forward pass. */
    public static Evaluation evaluate(Model model, Dataset data) {
        Network net = Network.compile(model, null);
        check(net, data, "evaluation");
        return evaluate(net, data);
    }

    private static Evaluation evaluate(Network net, Dataset data) {
        int n = data.size();
        int in = net.inSize;
        float[] x = data.x().data();
        float[] xb = new float[Math.min(EVAL_BATCH, Math.max(n, 1)) * in];
        double loss = 0;
        double correct = 0;
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int m = Math.min(EVAL_BATCH, n - from);
            System.arraycopy(x, from * in, xb, 0, m * in);
            float[] logits = net.forward(xb, m);
            double[] st = net.softmaxCrossEntropy(logits, data.labels(), from, m, null);
            loss += st[0];
            correct += st[1];
        }
        return new Evaluation(n == 0 ? Double.NaN : loss / n, n == 0 ? Double.NaN : correct / n, n);
    }

    /**
     * Adam with the bias correction folded into the step size (lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t), then
     * w -= lr_t * m / (sqrt(v) + eps)): the form of Kingma and Ba, section 2, used by Keras' Adam.
     */
    private static void adamStep(List<Param> params, TrainConfig cfg, long t) {
        float b1 = (float) cfg.beta1();
        float b2 = (float) cfg.beta2();
        float eps = (float) cfg.epsilon();
        float lrT = (float) (cfg.learningRate() * Math.sqrt(1 - StrictMath.pow(cfg.beta2(), t))
                / (1 - StrictMath.pow(cfg.beta1(), t)));
        float decay = (float) (2 * cfg.l2());
        for (Param par : params) {
            float[] w = par.w;
            float[] g = par.g;
            float[] m = par.m;
            float[] v = par.v;
            if (par.decay && decay != 0f) {
                for (int i = 0; i < w.length; i++) {
                    g[i] += decay * w[i];
                }
            }
            if (par.keep != null) {
                for (int i = 0; i < w.length; i++) {
                    if (!par.keep[i]) {
                        g[i] = 0f;
                    }
                }
            }
            for (int i = 0; i < w.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                w[i] -= lrT * m[i] / ((float) Math.sqrt(v[i]) + eps);
            }
            if (par.keep != null) {
                for (int i = 0; i < w.length; i++) {
                    if (!par.keep[i]) {
                        w[i] = 0f;
                    }
                }
            }
        }
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void check(Network net, Dataset d, String what) {
        if (!d.hasLabels()) {
            throw new ModelException(what + " data '" + d.name() + "' has no labels; training needs class labels");
        }
        if (d.size() == 0 && what.equals("training")) {
            throw new ModelException("training data '" + d.name() + "' is empty");
        }
        if (d.size() > 0 && d.featuresPerSample() != net.inSize) {
            throw new ModelException(what + " data '" + d.name() + "' has " + d.featuresPerSample()
                    + " values per sample but the model input takes " + net.inSize);
        }
        for (int i = 0; i < d.size(); i++) {
            int l = d.labels()[i];
            if (l < 0 || l >= net.classes) {
                throw new ModelException(what + " data '" + d.name() + "': label " + l + " of sample " + i
                        + " is outside the model's " + net.classes + " classes");
            }
        }
    }
}
