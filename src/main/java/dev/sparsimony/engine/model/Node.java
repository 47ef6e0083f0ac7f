package dev.sparsimony.engine.model;

import java.util.List;

/**
 * One node of the graph: an op applied to named inputs. Its single output carries the node's name.
 *
 * @param inputs names of graph inputs or of earlier nodes
 */
public record Node(String name, Op op, List<String> inputs) {
    public Node {
        if (name == null || name.isBlank()) {
            throw new ModelException("every node needs a name");
        }
        inputs = List.copyOf(inputs);
        if (!op.arity().accepts(inputs.size())) {
            throw new ModelException("node '" + name + "' (" + op.kind() + ") takes " + op.arity() + " inputs, got "
                    + inputs.size());
        }
    }

    public Node withOp(Op newOp) {
        return new Node(name, newOp, inputs);
    }
}
