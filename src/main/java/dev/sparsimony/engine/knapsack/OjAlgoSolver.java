package dev.sparsimony.engine.knapsack;

import dev.sparsimony.engine.model.ModelException;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;
import org.ojalgo.optimisation.integer.IntegerStrategy;
import org.ojalgo.type.context.NumberContext;

/**
 * Exact multi-constraint 0-1 knapsack as a mixed-integer program solved by ojAlgo's branch and bound
 * (ExpressionsBasedModel, one binary variable per item, one "&lt;= budget" expression per resource), with a tight
 * gap tolerance. The greedy solution is checked against the MIP's so a time-limited, sub-optimal MIP answer never
 * loses to the greedy one.
 */
public final class OjAlgoSolver implements KnapsackSolver {
    private final long timeLimitMillis;

    public OjAlgoSolver() {
        this(60_000);
    }

    public OjAlgoSolver(long timeLimitMillis) {
        this.timeLimitMillis = timeLimitMillis;
    }

    @Override
    public String id() {
        return "ojalgo";
    }

    @Override
    public boolean[] solve(KnapsackProblem p) {
        int n = p.items();
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        model.options.time_abort = timeLimitMillis;
        model.options.time_suffice = timeLimitMillis;
        model.options.integer(IntegerStrategy.DEFAULT.withGapTolerance(NumberContext.of(12)));
        Variable[] x = new Variable[n];
        for (int i = 0; i < n; i++) {
            x[i] = model.addVariable("x" + i).binary().weight(p.values()[i]);
        }
        for (int r = 0; r < p.resources(); r++) {
            Expression e = model.addExpression("budget" + r).upper(p.budgets()[r]);
            for (int i = 0; i < n; i++) {
                double c = p.costs()[r][i];
                if (c != 0) {
                    e.set(x[i], c);
                }
            }
        }
        boolean[] greedy = new GreedySolver().solve(p);
        Optimisation.Result result = model.maximise();
        if (!result.getState().isFeasible()) {
            throw new ModelException("the multi-constraint knapsack (ojAlgo) found no feasible solution: "
                    + result.getState());
        }
        boolean[] chosen = new boolean[n];
        for (int i = 0; i < n; i++) {
            chosen[i] = result.doubleValue(i) > 0.5;
        }
        if (!p.feasible(chosen) || p.value(greedy) > p.value(chosen)) {
            return greedy;
        }
        return chosen;
    }
}
