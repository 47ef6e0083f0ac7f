package dev.sparsimony.cli;

import picocli.CommandLine;

/** Version from the jar manifest when packaged, else "development". */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"Sparsimony " + (v == null ? "development build" : v)};
    }
}
