package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax along an axis (ND4J's native, max-subtracted softmax). With {@code coerce2d} (ONNX opset &lt; 13)
 * the input is viewed as [prod(dims before axis), prod(dims from axis)] and normalised over the second.
 */
public final class SoftmaxKernel implements OpKernel<Ops.Softmax> {
    @Override
    public Class<Ops.Softmax> opType() {
        return Ops.Softmax.class;
    }

    @Override
    public Step prepare(Ops.Softmax op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        long[] s = in.shape();
        int axis = Shapes.axis(op.axis(), s.length, "Softmax");
        INDArray x;
        INDArray y;
        int dim;
        if (op.coerce2d()) {
            long p = 1;
            for (int i = 0; i < axis; i++) {
                p *= s[i];
            }
            long q = in.length() / Math.max(p, 1);
            x = NdUtil.view(in, p, q);
            y = NdUtil.view(out, p, q);
            dim = 1;
        } else {
            x = in;
            y = out;
            dim = axis;
        }
        if (in.length() == 0) {
            return () -> { };
        }
        return () -> Nd4j.exec(new SoftMax(x, y, dim));
    }
}
