package com.tesaiot.publish;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rule between our packages, checked on the compiled classes: each package uses only those below it,
 * so a change that needs an arrow backwards fails here, naming the class and the import. The graph, top to bottom:
 * <pre>
 * cli -> app -> report -> mqtt -> tls -> bundle
 *          \--> outbox --^    \--> bundle
 *          \--> devpki -> bundle
 *          \--> telemetry
 * </pre>
 * and every package may use the root package's {@code Failure}, {@code Causes} and {@code LocalIo}, which use none.
 */
@AnalyzeClasses(packages = "com.tesaiot.publish", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule eachPackageUsesOnlyThePackagesBelowIt = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("com.tesaiot.publish.cli..")
            .layer("app").definedBy("com.tesaiot.publish.app..")
            .layer("report").definedBy("com.tesaiot.publish.report..")
            .layer("metrics").definedBy("com.tesaiot.publish.metrics..")
            .layer("outbox").definedBy("com.tesaiot.publish.outbox..")
            .layer("mqtt").definedBy("com.tesaiot.publish.mqtt..")
            .layer("devpki").definedBy("com.tesaiot.publish.devpki..")
            .layer("telemetry").definedBy("com.tesaiot.publish.telemetry..")
            .layer("tls").definedBy("com.tesaiot.publish.tls..")
            .layer("bundle").definedBy("com.tesaiot.publish.bundle..")
            .layer("root").definedBy("com.tesaiot.publish")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("app").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("report").mayOnlyAccessLayers("mqtt", "root")
            .whereLayer("metrics").mayOnlyAccessLayers("mqtt", "root")
            .whereLayer("outbox").mayOnlyAccessLayers("mqtt", "root")
            .whereLayer("mqtt").mayOnlyAccessLayers("tls", "bundle", "root")
            .whereLayer("devpki").mayOnlyAccessLayers("bundle", "root")
            .whereLayer("telemetry").mayOnlyAccessLayers("root")
            .whereLayer("tls").mayOnlyAccessLayers("bundle", "root")
            .whereLayer("bundle").mayOnlyAccessLayers("root")
            .whereLayer("root").mayNotAccessAnyLayer();

    @ArchTest
    static final ArchRule onlyTheCommandLineKnowsPicocli = noClasses()
            .that().resideOutsideOfPackage("com.tesaiot.publish.cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("com.tesaiot.publish.(*)..").should().beFreeOfCycles();
}
