package io.exlm.mon.expo;

/** A body that is not a valid exposition, with where and why (the first problem a lenient parse met). */
public final class ExpositionException extends Exception {
    private final transient Problem problem;

    public ExpositionException(Problem problem) {
        super(problem.toString());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
