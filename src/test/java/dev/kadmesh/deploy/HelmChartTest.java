package dev.kadmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.kadmesh.p2p.identity.ClusterKeys;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.service.config.KadmeshProperties;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart in helm/kadmesh, linted and rendered with an embedded Helm (no cluster, no helm
 * binary), and its manifests checked against the application they run.
 */
class HelmChartTest {
  static final Path CHART = Path.of("helm/kadmesh");
  private static final String NAMESPACE = "p2p";

  /** The rendered manifests, by kind and name. */
  record Manifests(Map<String, Map<String, Object>> byKindAndName) {
    Map<String, Object> get(String kind, String name) {
      Map<String, Object> m = byKindAndName.get(kind + "/" + name);
      assertThat(m).as(kind + "/" + name + " rendered").isNotNull();
      return m;
    }

    boolean has(String kind, String name) {
      return byKindAndName.containsKey(kind + "/" + name);
    }
  }

  static Manifests render(String... sets) {
    TemplateCommand t = new Helm(CHART).template().withName("kadmesh").withNamespace(NAMESPACE);
    for (String s : sets) {
      int eq = s.indexOf('=');
      t = t.set(s.substring(0, eq), s.substring(eq + 1));
    }
    String yaml = t.call();
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    for (Object doc : new Yaml().loadAll(yaml)) {
      if (doc instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = (Map<String, Object>) m;
        all.put(manifest.get("kind") + "/" + map(manifest, "metadata").get("name"), manifest);
      }
    }
    return new Manifests(all);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      cur = (Map<String, Object>) cur.get(p);
    }
    return cur;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    return (List<Map<String, Object>>) m.get(key);
  }

  static Map<String, Object> container(Manifests m) {
    return list(map(m.get("StatefulSet", "kadmesh"), "spec", "template", "spec"), "containers")
        .get(0);
  }

  static Properties appProperties(Manifests m) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader((String) map(m.get("ConfigMap", "kadmesh"), "data")
        .get("application.properties")));
    return p;
  }

  static int port(Map<String, Object> container, String name) {
    return list(container, "ports").stream().filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort")).findFirst().orElseThrow();
  }

  /** The container's environment as the kubelet gives it to pod {@code pod}. */
  static Map<String, String> env(Manifests m, String pod) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> e : list(container(m), "env")) {
      String name = (String) e.get("name");
      if (name.equals("POD_NAME")) {
        env.put(name, pod);
      } else if (e.get("value") != null) {
        env.put(name, ((String) e.get("value")).replace("$(POD_NAME)", pod));
      } else {
        Map<String, Object> ref = map(e, "valueFrom", "secretKeyRef");
        Map<String, Object> secret = m.get("Secret", (String) ref.get("name"));
        env.put(name, new String(Base64.getDecoder().decode(
            (String) map(secret, "data").get(ref.get("key"))), StandardCharsets.UTF_8));
      }
    }
    return env;
  }

  @Test
  void theChartLintsStrictly() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
  }

  @Test
  void defaultsRenderAFiveNodeNetworkOnTheAppsPorts() throws Exception {
    Manifests m = render();
    Map<String, Object> sts = m.get("StatefulSet", "kadmesh");
    assertThat(map(sts, "spec").get("replicas")).isEqualTo(5);
    assertThat(map(sts, "spec").get("podManagementPolicy")).isEqualTo("Parallel");
    assertThat(map(sts, "spec").get("serviceName")).isEqualTo("kadmesh-p2p");

    Map<String, Object> c = container(m);
    Properties app = appProperties(m);
    // the ports the pod exposes are the ones the app is told to use, and the app's defaults
    assertThat(port(c, "p2p")).isEqualTo(Integer.parseInt(app.getProperty("kadmesh.p2p.port")))
        .isEqualTo(7513);
    assertThat(port(c, "http")).isEqualTo(Integer.parseInt(app.getProperty("server.port")))
        .isEqualTo(8080);
    assertThat(port(c, "grpc"))
        .isEqualTo(Integer.parseInt(app.getProperty("spring.grpc.server.port"))).isEqualTo(9090);
    Properties defaults = new Properties();
    defaults.load(Files.newBufferedReader(Path.of("src/main/resources/application.properties")));
    assertThat(defaults.getProperty("server.port")).isEqualTo("8080");
    assertThat(defaults.getProperty("spring.grpc.server.port")).isEqualTo("9090");

    Map<String, Object> headless = m.get("Service", "kadmesh-p2p");
    assertThat(map(headless, "spec").get("clusterIP")).isEqualTo("None");
    assertThat(map(headless, "spec").get("publishNotReadyAddresses")).isEqualTo(true);
    assertThat(list(map(headless, "spec"), "ports")).extracting(p -> p.get("targetPort"))
        .containsExactly("p2p");
    assertThat(list(map(m.get("Service", "kadmesh"), "spec"), "ports"))
        .extracting(p -> p.get("targetPort")).containsExactly("http", "grpc");
    assertThat(m.has("PodDisruptionBudget", "kadmesh")).isTrue();
    assertThat(m.has("ServiceMonitor", "kadmesh")).isFalse();
    assertThat(map(sts, "spec", "template", "metadata", "annotations"))
        .containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/actuator/prometheus");
  }

  @Test
  void podsRunRestricted() {
    Manifests m = render();
    Map<String, Object> pod = map(m.get("StatefulSet", "kadmesh"), "spec", "template", "spec");
    assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
    Map<String, Object> sc = map(container(m), "securityContext");
    assertThat(sc).containsEntry("allowPrivilegeEscalation", false)
        .containsEntry("readOnlyRootFilesystem", true);
    assertThat(map(sc, "capabilities").get("drop")).isEqualTo(List.of("ALL"));
    assertThat(map(container(m), "resources")).containsKeys("requests", "limits");
  }

  @Test
  void everyPodGetsAValidConfigurationWithDerivedBootnodes() throws Exception {
    Manifests m = render();
    Properties app = appProperties(m);
    for (String pod : List.of("kadmesh-0", "kadmesh-3")) {
      Map<String, String> env = env(m, pod);
      Map<String, Object> props = new HashMap<>();
      app.forEach((k, v) -> props.put((String) k, v));
      // bound as Spring binds them in the pod: environment variables (by their names) first
      Map<String, Object> envVars = new HashMap<>(env);
      KadmeshProperties k = new Binder(
          ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
              org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
              envVars)),
          new MapConfigurationPropertySource(props))
          .bindOrCreate("kadmesh", KadmeshProperties.class);

      assertThat(k.p2p().advertisedHost())
          .isEqualTo(pod + ".kadmesh-p2p." + NAMESPACE + ".svc.cluster.local");
      assertThat(k.api().hasToken()).isTrue();
      ClusterKeys keys = new ClusterKeys(env.get("KADMESH_CLUSTER_SECRET"));
      List<Node> bootnodes = k.bootnodeList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if (!pod.equals("kadmesh-" + i)) {
          expected.add("kadmesh-" + i + ".kadmesh-p2p." + NAMESPACE + ".svc.cluster.local:7513/"
              + keys.id(i));
        }
      }
      // each bootnode is a Kadmesh node string whose id is the pod's derived id
      assertThat(bootnodes).extracting(Node::toString).containsExactlyElementsOf(expected);
      expected.forEach(s -> assertThat(Node.parse(s).id().toBase58()).isNotEmpty());
    }
  }

  @Test
  void generatedSecretsAreLongEnough() {
    Map<String, String> env = env(render(), "kadmesh-0");
    assertThat(env.get("KADMESH_CLUSTER_SECRET")).hasSizeGreaterThanOrEqualTo(32);
    assertThat(env.get("KADMESH_API_TOKEN")).hasSizeGreaterThanOrEqualTo(16);
  }

  @Test
  void variationsRenderConsistently() throws Exception {
    Manifests single = render("replicaCount=1");
    Properties p = appProperties(single);
    // pods added later must still look for peers before they count as bootstrapped
    assertThat(p.getProperty("kadmesh.dht.min-routing-table")).isEqualTo("1");
    assertThat(p.stringPropertyNames()).filteredOn(k -> k.startsWith("kadmesh.cluster.bootnodes"))
        .containsExactly("kadmesh.cluster.bootnodes[0]");

    Manifests ports = render("ports.http=8181", "ports.grpc=9191", "ports.p2p=7600");
    Properties pp = appProperties(ports);
    assertThat(port(container(ports), "http")).isEqualTo(8181);
    assertThat(pp.getProperty("server.port")).isEqualTo("8181");
    assertThat(pp.getProperty("spring.grpc.server.port")).isEqualTo("9191");
    assertThat(pp.getProperty("kadmesh.cluster.bootnodes[0]")).endsWith(":7600");

    Manifests existing = render("clusterSecret.existingSecret=my-cluster",
        "apiToken.existingSecret=my-token", "persistence.enabled=false",
        "metrics.serviceMonitor.enabled=true");
    assertThat(existing.has("Secret", "kadmesh")).isFalse();
    assertThat(existing.has("ServiceMonitor", "kadmesh")).isTrue();
    assertThat(map(existing.get("StatefulSet", "kadmesh"), "spec")).doesNotContainKey(
        "volumeClaimTemplates");
    List<Map<String, Object>> env = list(container(existing), "env");
    assertThat(env).filteredOn(e -> e.get("valueFrom") != null && !"POD_NAME".equals(e.get("name")))
        .extracting(e -> map(e, "valueFrom", "secretKeyRef").get("name"))
        .containsExactly("my-cluster", "my-token");

    Manifests extra = render("config.kadmesh\\.gossip\\.fanout=3");
    assertThat(appProperties(extra).getProperty("kadmesh.gossip.fanout")).isEqualTo("3");
  }

  @Test
  void everyValueIsDocumentedInTheChartReadme() throws Exception {
    Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
    String readme = Files.readString(CHART.resolve("README.md"));
    List<String> keys = new ArrayList<>();
    leafKeys("", values, keys);
    assertThat(keys).hasSizeGreaterThan(20);
    for (String key : keys) {
      // a value is documented by itself or by the group it belongs to (e.g. `resources`)
      boolean documented = false;
      for (String k = key; !documented && !k.isEmpty();
          k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
        documented = readme.contains("`" + k + "`");
      }
      assertThat(documented).as(key + " is documented in helm/kadmesh/README.md").isTrue();
    }
  }

  @SuppressWarnings("unchecked")
  private static void leafKeys(String prefix, Map<String, Object> map, List<String> out) {
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty()) {
        leafKeys(key, (Map<String, Object>) m, out);
      } else {
        out.add(key);
      }
    }
  }

  @Test
  void valuesThatWouldSplitOrWeakenTheNetworkAreRefused() {
    for (String[] bad : new String[][] {
        {"bootstrap.bootnodes=0", "bootstrap.bootnodes must be at least 1"},
        {"clusterSecret.value=short", "clusterSecret.value must be at least 32 characters"},
        {"apiToken.value=short", "apiToken.value must be at least 16 characters"}}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> render(bad[0]))
          .hasMessageContaining(bad[1]);
    }
  }

  @Test
  void theServiceMonitorScrapesTheApiServiceOnly() {
    Manifests m = render("metrics.serviceMonitor.enabled=true");
    Map<String, Object> selector = map(m.get("ServiceMonitor", "kadmesh"), "spec", "selector",
        "matchLabels");
    assertThat(map(m.get("Service", "kadmesh"), "metadata", "labels"))
        .containsAllEntriesOf(cast(selector));
    assertThat(map(m.get("Service", "kadmesh-p2p"), "metadata", "labels"))
        .doesNotContainEntry("app.kubernetes.io/component", "api");
    assertThat(map(m.get("StatefulSet", "kadmesh"), "spec", "template", "spec"))
        .containsEntry("enableServiceLinks", false);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  /** The probe paths the chart uses, for {@link HelmProbesTest}. */
  static List<String> probePaths(Manifests m) {
    Map<String, Object> c = container(m);
    List<String> paths = new ArrayList<>();
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> get = map(c, probe, "httpGet");
      assertThat(get.get("port")).isEqualTo("http");
      paths.add((String) get.get("path"));
    }
    return paths;
  }
}
