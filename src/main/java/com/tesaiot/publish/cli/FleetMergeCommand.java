package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.FleetMerge;
import com.tesaiot.publish.report.ConsoleLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code fleet merge}: shard reports in, one report out. */
@Command(name = "merge",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Combines the --output json reports of a fleet's shards into one: counts summed, histograms"
                + " merged (the merged p99 is the p99 of every acknowledgement), refusals grouped across shards."
                + " Refuses reports of different runs (another --seed, --count, --interval, fleet size or number of"
                + " shards), a shard given twice, and a whole fleet's report beside shards'. Prints the summary on"
                + " stderr and the merged report on stdout; exits 1 when a shard's report is missing (unless"
                + " --allow-partial) or the fleet did not deliver everything.")
final class FleetMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REPORT.json", arity = "1..*",
            description = "Reports written by fleet --output json (a pod's whole log will do: its last JSON line is read).")
    List<Path> reports;

    @Option(names = "--allow-partial",
            description = "Merge the shards given even when some of the run's shards have no report: their devices"
                    + " stay out of the counts, the report still lists them under missing_shards and says \"ok\": false.")
    boolean allowPartial;

    @Override
    public Integer call() throws Failure {
        FleetMerge.Merged merged = FleetMerge.merge(reports);
        ConsoleLog log = new ConsoleLog(spec.commandLine().getErr(), Clock.systemUTC());
        merged.notes().forEach(log::warn);
        merged.report().lines().forEach(log::info);
        log.flush();
        spec.commandLine().getOut().println(merged.report().json());
        spec.commandLine().getOut().flush();
        if (!merged.report().missingShards().isEmpty() && !allowPartial) {
            throw new Failure(Failure.Kind.NOT_DELIVERED, "no report for shard(s) "
                    + String.join(", ", merged.report().missingShards()) + " of " + merged.report().plan().shards()
                    + ": their devices are not counted; give their reports, or --allow-partial to merge these alone");
        }
        if (!merged.report().delivered()) {
            throw new Failure(Failure.Kind.NOT_DELIVERED, "the merged fleet did not deliver everything: "
                    + merged.report().refused() + " device(s) refused, " + (merged.report().planned()
                    - merged.report().acknowledged()) + " message(s) not acknowledged");
        }
        return ExitCodes.SUCCESS;
    }
}
