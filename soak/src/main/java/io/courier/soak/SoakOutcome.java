package io.courier.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.harness.MachineInfo;

import java.util.List;

/**
 * Everything one soak run measured, for {@link SoakReport}.
 *
 * @param started         start time, ISO-8601
 * @param measuredSeconds how long the workload really ran
 * @param serverCommand   the command line the server was started with
 * @param hostileSkipped  hostile starts skipped because the concurrency limit was reached
 * @param idleBefore      sample with only the probe connected, before the workload (null if it failed)
 * @param idleAfter       the same after every client had gone (null if it failed)
 * @param fdTargetsBefore what the server's descriptors pointed at in the idle sample before
 * @param fdTargetsAfter  the same in the idle sample after
 * @param lagSamples      {@code loop_lag_ms.last}, polled every {@code lag-interval}
 * @param finalStats      the server's last {@code stats} reply (null if it failed)
 * @param serverExitCode  the server's exit code after SIGTERM
 * @param failure         why the run itself broke off, or null
 */
public record SoakOutcome(SoakConfig config, MachineInfo machine, String started, double measuredSeconds,
                          List<String> serverCommand, List<Workload> workloads, List<HostileSummary> hostiles,
                          long hostileSkipped, List<Sample> samples, Sample idleBefore, Sample idleAfter,
                          List<String> fdTargetsBefore, List<String> fdTargetsAfter, List<Double> lagSamples,
                          JsonNode finalStats, int serverExitCode, long serverWarnLines, long serverErrorLines,
                          List<Check> checks, String failure) {

    /** True when the run finished and every check passed. */
    public boolean passed() {
        return failure == null && !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }
}
