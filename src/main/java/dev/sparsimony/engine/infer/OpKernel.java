package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Executes one IR op type. A kernel is stateless; {@link #prepare} binds it to pre-allocated input/output
 * buffers and returns a {@link Step} that is run once per forward pass (so views, scratch buffers and
 * reshaped weights are made once, not per call). Register new kernels in {@link Kernels}.
 *
 * @param <O> the op record this kernel executes
 */
public interface OpKernel<O extends Op> {

    /** The op record class this kernel handles (the registry key). */
    Class<O> opType();

    /**
     * Binds the op to its buffers. All buffers are c-ordered and contiguous, batch first, FLOAT.
     * The output buffer already has the shape given by {@link Op#outputShape}.
     */
    Step prepare(O op, Context ctx);

    /**
     * True when the step also works if the output buffer is the same array as input 0 (pure element-wise
     * ops); the executor then reuses the input's buffer when no later node reads it.
     */
    default boolean supportsInPlace() {
        return false;
    }

    /**
     * True when the output is input 0's data under another shape (Reshape, Flatten, Identity): the executor
     * gives the node a reshaped view of its input buffer and the step need not copy anything.
     */
    default boolean isView() {
        return false;
    }

    /** A prepared execution of one node. Not thread-safe. */
    interface Step {
        /** Computes the output buffer from the input buffers. */
        void run();

        /** Called after one of the node's weight buffers was overwritten in place (recompute derived data). */
        default void weightsChanged() {
        }
    }

    /**
     * A step that is an element-wise function of input 0 ({@link #apply} gives it on a heap run, in place). When
     * the step also runs in place, {@link CompiledModel} may fuse it with the output transform of the node before
     * it, so that both happen in one pass over a small heap chunk.
     */
    interface ElementwiseStep extends Step {
        void apply(float[] buf, int from, int to);
    }

    /**
     * A kernel that can also compute a chain of the nodes right after its own (e.g. Conv → BatchNorm → ReLU →
     * MaxPool) in one step, without writing the intermediate values. {@link Plan} offers the longest chain in which
     * every intermediate value has exactly one reader (the next member) and is no model output; the kernel takes
     * the prefix it can compute (returning how many members it took) or none.
     */
    interface Fusing<O extends Op> extends OpKernel<O> {
        /** A step for this node and {@code tail.get(0 .. k-1)}, or null when it fuses nothing here. */
        FusedStep prepareFused(O op, Context ctx, List<Member> tail);
    }

    /** A node after the head of a fusion chain, with the buffers and the step the plan prepared for it. */
    record Member(Node node, Context ctx, Step step) {
    }

    /**
     * A prepared run of a fusion chain: the head node and the first {@link #members()} tail members. Output
     * transforms of the members are applied where their node would have applied them.
     */
    interface FusedStep extends Step {
        /** Tail members covered (at least one). */
        int members();

        /**
         * Computes the last covered member's output; {@code transforms[k]} (null for none) is member k's output
         * transform, k = 0 being the head. Each one sees {@code begin} once per part of the output, with a native
         * array holding at least the values of that part (a superset: the step may compute values beyond the
         * output's border in the same pass), before the part's runs are streamed through {@code apply}.
         */
        void run(OutputTransform.Elementwise[] transforms);

        @Override
        default void run() {
            run(new OutputTransform.Elementwise[members() + 1]);
        }
    }

    /**
     * Buffers of one node.
     *
     * @param weights the op's named weights as INDArrays of the IR shape (same buffers across calls; they are
     *                updated in place by {@link CompiledModel#setWeight})
     * @param scratch temporary buffers shared with the other steps of the plan (valid during {@link Step#run})
     */
    record Context(String node, INDArray[] inputs, INDArray output, Map<String, INDArray> weights,
                   Scratch scratch) {
        public INDArray input(int i) {
            return inputs[i];
        }

        public int inputCount() {
            return inputs.length;
        }

        /** The named weight, or null when the op has none of that name (e.g. no bias). */
        public INDArray weight(String name) {
            return weights.get(name);
        }

        public INDArray requireWeight(String name) {
            INDArray w = weights.get(name);
            if (w == null) {
                throw new ModelException("layer '" + node + "' has no weight '" + name + "'");
            }
            return w;
        }
    }
}
