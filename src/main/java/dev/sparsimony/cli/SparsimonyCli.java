package dev.sparsimony.cli;

import dev.sparsimony.engine.model.ModelException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The headless front end: every command runs the same engine the GUI uses. */
@Command(name = "sparsimony",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Design-space explorer for pruning and quantizing neural networks onto hardware.%n"
                + "Run without a command (or with 'gui') to open the desktop app.",
        subcommands = {
            InfoCommand.class,
            PredictCommand.class,
            EvaluateCommand.class,
            EstimateCommand.class,
            ExploreCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SparsimonyCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with one-line error reporting; exit codes: 0 ok, 1 bad input, 2 usage, 3 internal. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparsimonyCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("sparsimony: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName()
                    + " --help')");
            c.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("sparsimony: " + describe(ex));
            c.getErr().flush();
            if (Boolean.getBoolean("sparsimony.debug")) {
                ex.printStackTrace(c.getErr());
            }
            return ex instanceof ModelException || ex instanceof java.io.IOException ? 1 : 3;
        });
        return cl;
    }

    /** One line for the user: the message of a ModelException, otherwise the exception type and message. */
    static String describe(Throwable ex) {
        if (ex instanceof ModelException) {
            return ex.getMessage();
        }
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            return "file not found: " + nsf.getFile();
        }
        if (ex instanceof java.io.IOException) {
            return "I/O error: " + ex.getMessage();
        }
        if (ex instanceof OutOfMemoryError) {
            return "out of memory: the model or data is too large for the memory given to Sparsimony (raise -Xmx)";
        }
        String msg = ex.getMessage();
        return "internal error: " + ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg)
                + " (run with -Dsparsimony.debug=true for details)";
    }

    public static int run(String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) {
            err.println("sparsimony: " + describe(e));
            return 1;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
