package io.trafficcoordinator.configfile;

import static io.trafficcoordinator.config.ConfigTrees.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trafficcoordinator.config.ConfigBinder;
import io.trafficcoordinator.config.CoordinatorConfig;
import io.trafficcoordinator.config.tree.ConfigReading;
import io.trafficcoordinator.config.tree.InvalidConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documented example, the JSON Schema and the parser agree: the example loads and the schema
 * accepts it; each kind of mistake is refused by both; and both know exactly the same keys.
 */
class ConfigSchemaTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/coordinator.yaml");
  private static final Path SCHEMA = ROOT.resolve("schema/coordinator.schema.json");

  private static JsonObject schema() throws Exception {
    return new JsonObject(Files.readString(SCHEMA));
  }

  private static OutputUnit validate(Object tree) throws Exception {
    Validator validator = Validator.create(JsonSchema.of(schema()),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://traffic-coordinator.dev/"));
    return validator.validate(JsonObject.mapFrom(tree));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> example() throws Exception {
    return (Map<String, Object>) ConfigFile.parse(Files.readString(EXAMPLE));
  }

  @Test
  void theExampleLoads() throws Exception {
    CoordinatorConfig config = ConfigFile.load(EXAMPLE);

    assertThat(config.services()).extracting(s -> s.name()).containsExactly(
        "catalog", "accounts", "search", "payments", "media", "reports", "pricing", "recommendations");
    assertThat(config.routes()).hasSize(2);
  }

  @Test
  void theSchemaAcceptsTheExample() throws Exception {
    OutputUnit result = validate(example());

    assertThat(result.getValid()).as("schema errors: %s", result.getErrors()).isTrue();
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("unknown top-level key", (Consumer<Map<String, Object>>) t -> t.put("colour", "blue")),
        Arguments.of("unknown nested key", (Consumer<Map<String, Object>>) t -> at(t, "routes", 0).put("prefix", "/x")),
        Arguments.of("duration without unit", (Consumer<Map<String, Object>>) t -> at(t, "routes", 0).put("timeout", "15")),
        Arguments.of("size with a bad unit", (Consumer<Map<String, Object>>) t -> at(t, "limits").put("maxBodyBytes", "5MB")),
        Arguments.of("unknown strategy", (Consumer<Map<String, Object>>) t -> at(t, "services", 0).put("strategy", "fastest")),
        Arguments.of("strategy parameter it does not take", (Consumer<Map<String, Object>>) t ->
            at(t, "services", 0).put("strategyParameters", Map.of("alpha", 1))),
        Arguments.of("a parameter of another strategy", (Consumer<Map<String, Object>>) t ->
            at(t, "services", 2, "strategyParameters").put("alpha", 0.5)),
        Arguments.of("alpha above 1", (Consumer<Map<String, Object>>) t ->
            at(t, "services", 5, "strategyParameters").put("alpha", 1.5)),
        Arguments.of("zone latency without its target", (Consumer<Map<String, Object>>) t ->
            at(t, "services", 4, "strategyParameters", "zoneLatencies", 0).remove("to")),
        Arguments.of("weight of zero", (Consumer<Map<String, Object>>) t -> at(t, "services", 0, "endpoints", 0).put("weight", 0)),
        Arguments.of("port out of range", (Consumer<Map<String, Object>>) t -> at(t, "listeners", "data").put("port", 70000)),
        Arguments.of("endpoint without url", (Consumer<Map<String, Object>>) t -> at(t, "services", 0, "endpoints", 0).remove("url")),
        Arguments.of("url that is not http", (Consumer<Map<String, Object>>) t -> at(t, "services", 0, "endpoints", 0).put("url", "ftp://x:1")),
        Arguments.of("url with a path", (Consumer<Map<String, Object>>) t -> at(t, "services", 0, "endpoints", 0).put("url", "http://x:1/base")),
        Arguments.of("route without service", (Consumer<Map<String, Object>>) t -> at(t, "routes", 0).remove("service")),
        Arguments.of("prefix without leading slash", (Consumer<Map<String, Object>>) t -> at(t, "routes", 0).put("pathPrefix", "api")),
        Arguments.of("method in lower case", (Consumer<Map<String, Object>>) t -> at(t, "routes", 1).put("methods", List.of("get"))),
        Arguments.of("tier out of range", (Consumer<Map<String, Object>>) t -> at(t, "services", 0, "endpoints", 0).put("tier", 10)),
        Arguments.of("service name with a space", (Consumer<Map<String, Object>>) t -> at(t, "services", 1).put("name", "my service")),
        Arguments.of("boolean as text", (Consumer<Map<String, Object>>) t -> at(t, "proxy").put("accessLog", "yes")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeIsRefusedByTheParserAndTheSchema(String name, Consumer<Map<String, Object>> mistake) throws Exception {
    Map<String, Object> tree = example();
    mistake.accept(tree);

    assertThatThrownBy(() -> ConfigBinder.bind(tree)).as("parser").isInstanceOf(InvalidConfigException.class);
    assertThat(validate(tree).getValid()).as("schema").isFalse();
  }

  @Test
  void theSchemaAndTheParserKnowTheSameKeys() throws Exception {
    ConfigReading reading = new ConfigReading();
    ConfigBinder.read(example(), reading);
    assertThat(reading.problems()).isEmpty();

    // Every kind of object the example holds (which is every kind there is) has the same keys in both.
    assertThat(schemaVocabulary()).isEqualTo(reading.vocabulary());
  }

  /** Property names per object kind, following $ref, keyed like {@link ConfigReading#vocabulary()}. */
  private static Map<String, Set<String>> schemaVocabulary() throws Exception {
    JsonObject schema = schema();
    Map<String, Set<String>> vocabulary = new TreeMap<>();
    collect(schema, schema, "", vocabulary);
    return vocabulary;
  }

  private static void collect(JsonObject root, JsonObject node, String path, Map<String, Set<String>> vocabulary) {
    JsonObject resolved = resolve(root, node);
    if ("array".equals(resolved.getString("type")) && resolved.containsKey("items")) {
      collect(root, resolved.getJsonObject("items"), path + "[]", vocabulary);
      return;
    }
    if (!"object".equals(resolved.getString("type"))) {
      return;
    }
    JsonObject properties = resolved.getJsonObject("properties", new JsonObject());
    vocabulary.put(path, new TreeSet<>(properties.fieldNames()));
    for (String key : properties.fieldNames()) {
      collect(root, properties.getJsonObject(key), path.isEmpty() ? key : path + "." + key, vocabulary);
    }
  }

  private static JsonObject resolve(JsonObject root, JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    JsonObject target = root;
    for (String step : ref.substring(2).split("/")) {
      target = target.getJsonObject(step);
    }
    return resolve(root, target);
  }

  @Test
  void theStrategyEnumListsExactlyTheStrategiesThereAre() throws Exception {
    JsonArray names = schema().getJsonObject("$defs").getJsonObject("service").getJsonObject("properties")
        .getJsonObject("strategy").getJsonArray("enum");

    assertThat(names.getList()).isEqualTo(io.trafficcoordinator.balance.catalog.StrategyCatalog.names());
  }
}
