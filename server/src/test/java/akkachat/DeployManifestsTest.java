package akkachat;

import akkachat.support.Repository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/kubernetes: every manifest is a valid object of the Kubernetes API (checked offline
 * against the API's own generated models), and together they run the server the way it expects:
 * the env it reads, probes on its management port, time enough to drain and leave, discovery
 * that finds the pods. deploy/grafana: the dashboard queries only metrics the server exposes.
 */
class DeployManifestsTest {
  private static final Path KUBERNETES = Repository.path("deploy/kubernetes");
  private static final Path DASHBOARD = Repository.path("deploy/grafana/akka-chat.json");
  private static final Path REFERENCE_CONF =
      Repository.path("server/src/main/resources/reference.conf");

  /** Env vars that Akka Management reads itself, not through akka-chat's reference.conf. */
  private static final Set<String> READ_BY_AKKA_MANAGEMENT =
      Set.of("AKKA_CLUSTER_BOOTSTRAP_SERVICE_NAME", "REQUIRED_CONTACT_POINT_NR");

  /** After drain and grace, a node leaves the cluster (and its rooms move) before the JVM ends. */
  private static final Duration CLUSTER_LEAVE = Duration.ofSeconds(5);

  /** The metrics the server exposes on GET /metrics (issue 19's contract), as Prometheus names
   * them. */
  private static final Set<String> METRICS = Set.of(
      "akkachat_connections_open", "akkachat_connections_accepted_total",
      "akkachat_connections_refused_total", "akkachat_logins_in_progress", "akkachat_logins_total",
      "akkachat_login_failures_total", "akkachat_login_seconds", "akkachat_lines_received_total",
      "akkachat_deliveries_total", "akkachat_bytes_written_total", "akkachat_clients_closed_total",
      "akkachat_rooms", "akkachat_room_members", "akkachat_fanout_lag_lines",
      "akkachat_cluster_members", "akkachat_cluster_unreachable_members",
      "akkachat_room_failovers_total",
      "jvm_memory_used_bytes", "jvm_gc_collection_seconds", "jvm_threads_current",
      "process_open_fds", "process_cpu_seconds_total");

  /** Histograms and summaries: their series are NAME_bucket, NAME_count and NAME_sum. */
  private static final Set<String> DISTRIBUTIONS =
      Set.of("akkachat_login_seconds", "jvm_gc_collection_seconds");

  /**
   * A validator per kind: the Kubernetes client's models, generated from the API's OpenAPI spec,
   * whose fromJson rejects a field the API does not have, a missing required one, a wrong type.
   */
  private static final Map<String, Validator> SCHEMAS = Map.of(
      "apps/v1 Deployment", V1Deployment::fromJson,
      "v1 Service", V1Service::fromJson,
      "v1 ServiceAccount", V1ServiceAccount::fromJson,
      "rbac.authorization.k8s.io/v1 Role", V1Role::fromJson,
      "rbac.authorization.k8s.io/v1 RoleBinding", V1RoleBinding::fromJson,
      "policy/v1 PodDisruptionBudget", V1PodDisruptionBudget::fromJson);

  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without");

  private static final ObjectMapper JSON = new ObjectMapper();

  @FunctionalInterface
  private interface Validator {
    Object fromJson(String json) throws IOException;
  }

  @Test
  void everyManifestIsAValidKubernetesObject() throws IOException {
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> doc : documents().entrySet()) {
      JsonNode object = doc.getValue();
      String type = object.path("apiVersion").asText() + " " + object.path("kind").asText();
      Validator validator = SCHEMAS.get(type);
      if (validator == null) {
        errors.add(doc.getKey() + ": no schema here for " + type + " (add it to SCHEMAS)");
        continue;
      }
      try {
        validator.fromJson(JSON.writeValueAsString(object));
      } catch (RuntimeException | IOException e) {
        errors.add(doc.getKey() + " (" + type + "): " + e.getMessage());
      }
    }
    assertTrue(errors.isEmpty(),
        "manifests the Kubernetes API would refuse:\n  " + String.join("\n  ", errors));
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Set<String> listed = new TreeSet<>();
    kustomization().path("resources").forEach(r -> listed.add(r.asText()));
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(KUBERNETES)) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).forEach(files::add);
    }
    assertEquals(files, listed, "kustomization.yaml's resources and the manifests beside it");
  }

  @Test
  void deploymentRunsThreeNodesAsTheImagesUserWithTheEnvTheServerReads() throws IOException {
    JsonNode pod = one("Deployment").at("/spec/template/spec");
    assertEquals(3, one("Deployment").at("/spec/replicas").asInt(), "replicas");
    JsonNode container = onlyContainer(pod);
    assertEquals("IfNotPresent", container.path("imagePullPolicy").asText(), "a local image");

    String reference = Files.readString(REFERENCE_CONF);
    for (String name : env(container).keySet()) {
      assertTrue(reference.contains("${?" + name + "}") || READ_BY_AKKA_MANAGEMENT.contains(name),
          name + " is set by the Deployment but read neither by reference.conf (as ${?" + name
              + "}) nor by Akka Management");
    }
    JsonNode podIp = envEntry(container, "CLUSTER_HOST").at("/valueFrom/fieldRef");
    assertEquals("status.podIP", podIp.path("fieldPath").asText(), "CLUSTER_HOST is the pod's IP");

    Config settings = settings(container);
    assertEquals(containerPort(container, "chat"), settings.getInt("akka-chat.port"), "chat port");
    assertEquals(containerPort(container, "http"), settings.getInt("akka-chat.http.port"),
        "browser port");
    assertEquals(containerPort(container, "remoting"), settings.getInt("akka-chat.cluster.port"),
        "cluster port");
    assertEquals(containerPort(container, "management"),
        settings.getInt("akka-chat.management.port"), "management port");
    assertEquals("0.0.0.0", settings.getString("akka-chat.management.host"),
        "the probes and the other pods reach the management port from outside the container");
    assertTrue(settings.getBoolean("akka-chat.cluster.bootstrap.enabled"), "cluster bootstrap");
    assertEquals("kubernetes-api", settings.getString("akka-chat.cluster.bootstrap.discovery"));

    Matcher uid = Pattern.compile("useradd [^\\n]*--uid (\\d+)")
        .matcher(Files.readString(Repository.path("docker/Dockerfile")));
    assertTrue(uid.find(), "no useradd --uid in docker/Dockerfile");
    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), "runAsNonRoot");
    assertEquals(Integer.parseInt(uid.group(1)), pod.at("/securityContext/runAsUser").asInt(),
        "runAsUser is the image's user");

    // The image starts java with -XX:MaxRAMPercentage=75: the heap is sized from the memory limit.
    JsonNode memory = container.at("/resources/limits/memory");
    assertFalse(memory.isMissingNode(), "no memory limit for -XX:MaxRAMPercentage to size from");
    long heap = new Quantity(memory.asText()).getNumber().longValue() * 75 / 100;
    assertTrue(heap >= 512L << 20,
        "heap of " + (heap >> 20) + " MiB from a limit of " + memory.asText());
    assertEquals(memory.asText(), container.at("/resources/requests/memory").asText(),
        "memory requested as limited");
  }

  @Test
  void probesAskTheManagementPortAndTheStopLeavesTimeToDrainAndLeave() throws IOException {
    JsonNode pod = one("Deployment").at("/spec/template/spec");
    JsonNode container = onlyContainer(pod);
    int management = settings(container).getInt("akka-chat.management.port");
    JsonNode readiness = container.path("readinessProbe");
    JsonNode liveness = container.path("livenessProbe");
    assertEquals("/ready", readiness.at("/httpGet/path").asText(), "readiness path");
    assertEquals("/alive", liveness.at("/httpGet/path").asText(), "liveness path");
    assertEquals(management, probePort(container, readiness), "readiness probe's port");
    assertEquals(management, probePort(container, liveness), "liveness probe's port");
    assertTrue(failingFor(liveness) >= 30, "a GC pause or a slow join must not restart a node: "
        + failingFor(liveness) + " s of failed /alive");

    Config settings = settings(container);
    Duration drain = settings.getDuration("akka-chat.shutdown-drain");
    Duration grace = settings.getDuration("akka-chat.shutdown-grace");
    assertTrue(drain.toSeconds() >= failingFor(readiness), "the drain (" + drain + ") ends before"
        + " the readiness probe can notice it (" + failingFor(readiness) + " s): new users would"
        + " still be sent to a closing pod");
    Duration needed = drain.plus(grace).plus(CLUSTER_LEAVE);
    long period = pod.path("terminationGracePeriodSeconds").asLong(30);
    assertTrue(period >= needed.toSeconds(), "terminationGracePeriodSeconds " + period + " < drain "
        + drain + " + grace " + grace + " + cluster leave " + CLUSTER_LEAVE);
  }

  @Test
  void discoveryServiceAndBudgetSelectThePodsAndTheAccountMayListThem() throws IOException {
    JsonNode deployment = one("Deployment");
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = onlyContainer(pod);

    assertSelects(deployment.at("/spec/selector/matchLabels"), podLabels, "Deployment");
    String serviceName = env(container).getOrDefault("AKKA_CLUSTER_BOOTSTRAP_SERVICE_NAME",
        settings(container).getString("akka-chat.cluster.bootstrap.service-name"));
    assertEquals(serviceName, podLabels.path("app").asText(),
        "kubernetes-api discovery looks for pods labelled app=" + serviceName);
    assertTrue(Integer.parseInt(env(container).getOrDefault("REQUIRED_CONTACT_POINT_NR", "2"))
        <= deployment.at("/spec/replicas").asInt(), "more contact points required than pods");

    JsonNode service = one("Service");
    assertSelects(service.at("/spec/selector"), podLabels, "Service");
    assertTrue(Set.of("LoadBalancer", "ClusterIP").contains(service.at("/spec/type").asText()));
    JsonNode target = service.at("/spec/ports/0/targetPort");
    assertEquals(containerPort(container, "chat"),
        target.isInt() ? target.asInt() : containerPort(container, target.asText()),
        "the Service sends users to the chat port");

    JsonNode budget = one("PodDisruptionBudget");
    assertSelects(budget.at("/spec/selector/matchLabels"), podLabels, "PodDisruptionBudget");
    assertEquals(1, budget.at("/spec/maxUnavailable").asInt(), "one pod at a time");

    String account = pod.path("serviceAccountName").asText();
    assertEquals(account, one("ServiceAccount").at("/metadata/name").asText(), "pods' account");
    JsonNode binding = one("RoleBinding");
    JsonNode role = one("Role");
    assertEquals("Role", binding.at("/roleRef/kind").asText());
    assertEquals(role.at("/metadata/name").asText(), binding.at("/roleRef/name").asText());
    assertTrue(contains(binding.path("subjects"), "ServiceAccount", account),
        "the binding's subjects: " + binding.path("subjects"));
    Set<String> verbs = new TreeSet<>();
    role.path("rules").forEach(rule -> {
      if (contains(rule.path("apiGroups"), "") && contains(rule.path("resources"), "pods")) {
        rule.path("verbs").forEach(v -> verbs.add(v.asText()));
      }
    });
    assertTrue(verbs.containsAll(Set.of("get", "watch", "list")), "verbs on pods: " + verbs);
  }

  @Test
  void theDashboardQueriesOnlyTheServersMetricsAndShowsEachOfItsOwn() throws IOException {
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion");
    boolean datasourceVariable = false;
    for (JsonNode variable : dashboard.at("/templating/list")) {
      datasourceVariable |= variable.path("type").asText().equals("datasource")
          && variable.path("query").asText().equals("prometheus")
          && variable.path("name").asText().equals("datasource");
    }
    assertTrue(datasourceVariable, "a variable `datasource` of type datasource, query prometheus");

    Set<String> queried = new TreeSet<>();
    Set<String> unknown = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        assertEquals("${datasource}", target.at("/datasource/uid").asText(),
            "panel " + panel.path("title") + " queries another data source than the variable");
        for (String name : metricNames(target.path("expr").asText())) {
          String base = name.replaceFirst("_(bucket|count|sum)$", "");
          if (METRICS.contains(name)) {
            queried.add(name);
          } else if (DISTRIBUTIONS.contains(base)) {
            queried.add(base);
          } else {
            unknown.add(name + " (panel " + panel.path("title").asText() + ")");
          }
        }
      }
    }
    assertTrue(unknown.isEmpty(), "metrics the server does not expose: " + unknown);
    Set<String> missing = new TreeSet<>(METRICS);
    missing.removeAll(queried);
    missing.removeIf(m -> !m.startsWith("akkachat_"));
    assertTrue(missing.isEmpty(), "akka-chat's metrics the dashboard does not show: " + missing);
  }

  /**
   * The metric names in a PromQL expression: what is left of its identifiers once label matchers,
   * ranges, strings, grouping clauses, functions and keywords are taken out.
   */
  static Set<String> metricNames(String expr) {
    String bare = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "")
        .replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
    while (m.find()) {
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The server's settings as in the container: reference.conf with the Deployment's env. */
  private static Config settings(JsonNode container) throws IOException {
    Map<String, String> env = new HashMap<>(env(container));
    env.replaceAll((name, value) -> value == null ? "10.0.0.1" : value); // fieldRef (the pod IP)
    Config reference = ConfigFactory.parseString(Files.readString(REFERENCE_CONF));
    // The env as top-level keys is what ${?NAME} finds; noSystem: not this JVM's own env.
    return ConfigFactory.parseMap(env).withFallback(reference)
        .resolve(ConfigResolveOptions.noSystem());
  }

  /** The container's env, name to value (null for a valueFrom). */
  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : null);
    }
    return env;
  }

  private static JsonNode envEntry(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    return fail("no env " + name);
  }

  private static int containerPort(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    return fail("no container port named " + name);
  }

  private static int probePort(JsonNode container, JsonNode probe) {
    JsonNode port = probe.at("/httpGet/port");
    return port.isInt() ? port.asInt() : containerPort(container, port.asText());
  }

  /** Seconds a probe fails before Kubernetes acts (its defaults: every 10 s, 3 failures). */
  private static long failingFor(JsonNode probe) {
    return probe.path("periodSeconds").asLong(10) * probe.path("failureThreshold").asLong(3);
  }

  private static JsonNode kustomization() throws IOException {
    return yaml(KUBERNETES.resolve("kustomization.yaml")).get(0);
  }

  private static JsonNode onlyContainer(JsonNode pod) {
    assertEquals(1, pod.path("containers").size(), "containers");
    return pod.path("containers").get(0);
  }

  /** Every label of {@code selector} is on the pods. */
  private static void assertSelects(JsonNode selector, JsonNode podLabels, String what) {
    assertFalse(selector.isEmpty(), what + " selects nothing");
    selector.properties().forEach(e -> assertEquals(e.getValue().asText(),
        podLabels.path(e.getKey()).asText(), what + "'s selector against the pods' " + podLabels));
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (item.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(JsonNode subjects, String kind, String name) {
    for (JsonNode s : subjects) {
      if (s.path("kind").asText().equals(kind) && s.path("name").asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The one object of {@code kind} among the manifests. */
  private static JsonNode one(String kind) throws IOException {
    List<JsonNode> found = documents().values().stream()
        .filter(d -> d.path("kind").asText().equals(kind)).toList();
    assertEquals(1, found.size(), "objects of kind " + kind);
    return found.get(0);
  }

  /** Every object in the files kustomization.yaml lists, by "file#index". */
  private static Map<String, JsonNode> documents() throws IOException {
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    for (JsonNode resource : kustomization().path("resources")) {
      List<JsonNode> objects = yaml(KUBERNETES.resolve(resource.asText()));
      for (int i = 0; i < objects.size(); i++) {
        docs.put(resource.asText() + "#" + i, objects.get(i));
      }
    }
    assertFalse(docs.isEmpty(), "no manifests in " + KUBERNETES);
    return docs;
  }

  private static List<JsonNode> yaml(Path file) throws IOException {
    try (MappingIterator<JsonNode> objects =
        new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
      return objects.readAll().stream().filter(n -> !n.isNull() && !n.isMissingNode()).toList();
    }
  }
}
