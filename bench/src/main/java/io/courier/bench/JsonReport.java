package io.courier.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.harness.MachineInfo;
import io.courier.protocol.Json;
import io.courier.protocol.units.Quantities;

import java.util.Map;

/** Renders {@link Results} as JSON: machine, configuration, medians and every run (for tools and later checks). */
public final class JsonReport {
    private JsonReport() {
    }

    public static String render(Results results) {
        ObjectNode root = Json.NODES.objectNode();
        root.put("started", results.started());
        if (results.aborted() != null) {
            root.put("aborted", results.aborted());
        }
        MachineInfo machine = results.machine();
        ObjectNode machineNode = root.putObject("machine");
        machineNode.put("cpus", machine.cpus());
        machineNode.put("cpu_model", machine.cpuModel());
        machineNode.put("memory", machine.memory());
        machineNode.put("os", machine.os());
        machineNode.put("java_version", machine.javaVersion());

        BenchConfig config = results.config();
        ObjectNode configNode = root.putObject("config");
        configNode.put("rounds", config.rounds());
        configNode.put("duration", Quantities.format(config.duration()));
        configNode.put("warmup", Quantities.format(config.warmup()));
        configNode.put("held_connections", config.heldConnections());
        configNode.put("server_jvm", String.join(" ", config.serverJvm()));
        configNode.put("client", String.join(" ", config.clientLauncher()));
        configNode.put("pinned", config.pin());
        configNode.put("server_cpus", config.serverCpus());
        configNode.put("client_cpus", config.clientCpus());
        ArrayNode scenarios = configNode.putArray("scenarios");
        config.scenarios().forEach(scenario -> scenarios.add(scenario.label()));
        ArrayNode servers = configNode.putArray("servers");
        config.servers().forEach(server -> servers.add(server.label()));
        RunWarnings.of(results).forEach(root.putArray("warnings")::add);
        root.put("rate", results.rate());
        root.put("rate_source", results.rateSource());
        root.put("fanout_rate", results.fanoutRate());
        root.put("fanout_rate_source", results.fanoutRateSource());

        ObjectNode medians = root.putObject("medians");
        for (Map.Entry<String, Map<String, Map<String, Double>>> scenario : results.medians().entrySet()) {
            ObjectNode scenarioNode = medians.putObject(scenario.getKey());
            for (Map.Entry<String, Map<String, Double>> server : scenario.getValue().entrySet()) {
                putValues(scenarioNode.putObject(server.getKey()), server.getValue());
            }
        }
        ArrayNode runs = root.putArray("runs");
        for (Measurement run : results.runs()) {
            ObjectNode node = runs.addObject();
            node.put("scenario", run.scenario().label());
            node.put("ran", run.scenario().label(results.config()));
            node.put("server", run.server().label());
            node.put("round", run.round());
            node.put("client_exit", run.clientExit());
            node.put("clean", run.clean());
            if (run.problem() != null) {
                node.put("problem", run.problem());
            }
            if (run.reportFile() != null) {
                node.put("report", run.reportFile());
            }
            putValues(node.putObject("values"), run.values());
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putValues(ObjectNode node, Map<String, Double> values) {
        values.forEach((key, value) -> {
            if (value != null && Double.isFinite(value)) {
                node.put(key, value);
            } else {
                node.putNull(key);
            }
        });
    }
}
