package dev.kadmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs where the tests run, so the Dockerfile is checked as text: the rules it
 * must keep, and agreement with the app and the Helm chart.
 */
class DockerfileTest {
  private static final Path DOCKERFILE = Path.of("Dockerfile");

  private static List<String> instructions() throws Exception {
    // join continuation lines, drop comments
    String text = Files.readString(DOCKERFILE).replaceAll("\\\\\\n", " ");
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static List<String> starting(String keyword) throws Exception {
    return instructions().stream().filter(l -> l.startsWith(keyword + " ")).toList();
  }

  @Test
  void buildsInOneStageAndRunsOnAPinnedJreInAnother() throws Exception {
    List<String> from = starting("FROM");
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).matches("FROM eclipse-temurin:17[^ ]*-jdk[^ ]* AS build");
    assertThat(from.get(1)).matches("FROM eclipse-temurin:17[^ ]*-jre[^ ]*");
    assertThat(from).noneMatch(f -> f.contains(":latest"));
    assertThat(starting("RUN").get(0)).contains("./mvnw -B -q package -DskipTests")
        .contains("-Djarmode=tools").contains("extract --layers --launcher");
  }

  @Test
  void runsAsTheChartsNonRootUserFromLayers() throws Exception {
    assertThat(starting("USER")).containsExactly("USER 10001:10001");
    Map<String, Object> values = new org.yaml.snakeyaml.Yaml()
        .load(Files.readString(HelmChartTest.CHART.resolve("values.yaml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> pod = (Map<String, Object>) values.get("podSecurityContext");
    assertThat(pod.get("runAsUser")).isEqualTo(10001);
    assertThat(pod.get("runAsGroup")).isEqualTo(10001);
    // least to most often changed, so that a code change rebuilds only the last layer
    assertThat(starting("COPY --from=build")).extracting(l -> l.split(" ")[2]).containsExactly(
        "/layers/dependencies/", "/layers/spring-boot-loader/",
        "/layers/snapshot-dependencies/", "/layers/application/");
    assertThat(starting("ENTRYPOINT")).containsExactly(
        "ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
  }

  @Test
  void exposesTheAppsPortsAndKeepsTheDataDirOnAVolume() throws Exception {
    assertThat(starting("EXPOSE")).containsExactly("EXPOSE 7513 8080 9090");
    assertThat(starting("VOLUME")).containsExactly("VOLUME [\"/data\"]");
    assertThat(String.join("\n", starting("ENV"))).contains("KADMESH_DATA_DIR=/data");
    String chart = Files.readString(HelmChartTest.CHART.resolve("templates/configmap.yaml"));
    assertThat(chart).contains("kadmesh.data-dir=/data");
  }

  @Test
  void theBuildContextHoldsWhatTheBuildCopies() throws Exception {
    List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(ignore.get(0)).isEqualTo("*");
    Pattern copy = Pattern.compile("^COPY (?!--from)(.+) \\S+$");
    for (String line : starting("COPY")) {
      Matcher m = copy.matcher(line);
      if (m.matches()) {
        for (String source : m.group(1).split(" ")) {
          assertThat(ignore).as(source + " is let into the build context").contains("!" + source);
          assertThat(Path.of(source)).exists();
        }
      }
    }
  }
}
