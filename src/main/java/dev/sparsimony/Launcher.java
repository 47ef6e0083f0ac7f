package dev.sparsimony;

import dev.sparsimony.cli.SparsimonyCli;

/**
 * Main class of the fat jar. A plain class (not an Application) so that JavaFX starts from the classpath
 * (stack.md pitfall 4). No arguments, or {@code gui [MODEL]}, opens the desktop app; anything else is the CLI.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("gui")) {
            String[] rest = args.length == 0 ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
            dev.sparsimony.app.SparsimonyApp.main(rest);
            return;
        }
        System.exit(SparsimonyCli.run(args));
    }
}
