package dev.sparsimony.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering of docs/architecture.md, checked on every build: engine ← cli, engine ← app. */
@AnalyzeClasses(packages = "dev.sparsimony", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule engineHasNoJavaFx = noClasses().that().resideInAPackage("dev.sparsimony.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "io.fair_acc..", "org.controlsfx..")
            .because("the engine runs headless (CLI, benchmarks, CI) and must not need a display toolkit");

    @ArchTest
    static final ArchRule engineDoesNotKnowItsFrontEnds = noClasses().that().resideInAPackage("dev.sparsimony.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sparsimony.app..", "dev.sparsimony.cli..")
            .because("front ends call the engine, never the other way round");

    @ArchTest
    static final ArchRule cliReachesOnlyTheEngine = noClasses().that().resideInAPackage("dev.sparsimony.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sparsimony.app..", "javafx..")
            .because("the CLI is the headless front end of the same engine");

    @ArchTest
    static final ArchRule appDoesNotUseTheCli = noClasses().that().resideInAPackage("dev.sparsimony.app..")
            .should().dependOnClassesThat().resideInAPackage("dev.sparsimony.cli..")
            .because("the GUI and the CLI are siblings over the engine").allowEmptyShould(true);

    @ArchTest
    static final ArchRule enginePackagesAreFreeOfCycles = slices().matching("dev.sparsimony.engine.(*)..")
            .should().beFreeOfCycles()
            .because("one package per concept: pruning never knows the hardware model, the composition root"
                    + " (engine.explore) joins them");

    @ArchTest
    static final ArchRule pruningDoesNotKnowTheHardware = noClasses().that().resideInAPackage("dev.sparsimony.engine.prune..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sparsimony.engine.hardware..",
                    "dev.sparsimony.engine.knapsack..")
            .because("the knapsack never knows what a DSP is; costs come from the point through engine.explore");
}
