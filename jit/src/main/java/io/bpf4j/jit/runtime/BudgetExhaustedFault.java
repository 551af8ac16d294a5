package io.bpf4j.jit.runtime;

/**
 * The run executed more instructions than its budget allows. This is what stops an unverified
 * program that never terminates.
 */
public final class BudgetExhaustedFault extends ExecutionFault {
    private static final long serialVersionUID = 1L;

    private final long budget;

    public BudgetExhaustedFault(int pc, long budget) {
        super(pc, "instruction budget of " + budget + " exhausted");
        this.budget = budget;
    }

    public long budget() {
        return budget;
    }
}
