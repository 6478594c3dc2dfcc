package io.trafficcoordinator.control;

import io.trafficcoordinator.config.tree.ConfigProblem;
import io.trafficcoordinator.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the control API ({@code openapi.yaml} on the classpath, served at
 * {@code /openapi.yaml}) and request validation against it, by Vert.x's OpenAPI validator (the one
 * web-openapi-router uses). The routes are ours: the router builder would read and validate a body
 * before the access gate runs, and an unauthenticated caller must get 401, not a schema report.
 * Every bad field is listed with its path.
 */
final class ApiContract {

  static final String RESOURCE = "/io/trafficcoordinator/control/openapi.yaml";
  private static final Pattern REQUIRED = Pattern.compile("required property \"?'?([^\"']+)");

  private final OpenAPIContract contract;
  private final RequestValidator validator;
  private final String document;

  private ApiContract(OpenAPIContract contract, RequestValidator validator, String document) {
    this.contract = contract;
    this.validator = validator;
    this.document = document;
  }

  /**
   * Loads the document from the classpath only (never a file of that name in the working
   * directory, which Vert.x's file resolver would look at first).
   */
  static Future<ApiContract> load(Vertx vertx) {
    String text = text();
    return OpenAPIContract.from(vertx, forValidator(text))
        .map(contract -> new ApiContract(contract, RequestValidator.create(vertx, contract), text));
  }

  /** The document as written, from the classpath. */
  static String text() {
    try (java.io.InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + RESOURCE);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** The document as written, as served at {@code /openapi.yaml}. */
  String document() {
    return document;
  }

  /**
   * The document as the validator reads it. Vert.x's OpenAPI 5.0.7 refuses response media types it
   * cannot validate, {@code application/problem+json} among them; responses are not validated, so
   * the copy the validator gets says {@code application/json} there. The served document is as written.
   */
  @SuppressWarnings("unchecked")
  private static io.vertx.core.json.JsonObject forValidator(String yaml) {
    try {
      Map<String, Object> tree = new com.fasterxml.jackson.databind.ObjectMapper(
          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(yaml, Map.class);
      io.vertx.core.json.JsonObject document = new io.vertx.core.json.JsonObject(
          io.vertx.core.json.Json.encode(tree).replace("\"application/problem+json\"", "\"application/json\""));
      return document;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(RESOURCE + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  OpenAPIContract contract() {
    return contract;
  }

  /**
   * A handler that lets the request on only when it matches operation {@code operationId}; a
   * refusal is audited in {@code audit} (null for an operation that needs no token: health).
   */
  Handler<RoutingContext> validate(String operationId, AuditTrail audit) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      throw new IllegalArgumentException("openapi.yaml has no operation " + operationId);
    }
    return ctx -> {
      ValidatableRequest request;
      try {
        request = extract(ctx, operation);
      } catch (RuntimeException e) {
        refuse(ctx, e, audit);
        return;
      }
      validator.validate(request, operationId)
          .onSuccess(valid -> ctx.next())
          .onFailure(failed -> refuse(ctx, failed, audit));
    };
  }

  /**
   * The request as the validator reads it: the operation's query parameters, decoded once (Vert.x's
   * own extraction decodes already decoded values again: {@code 50%25} would fail, {@code %2B} turn
   * into a space), and the body the body handler read.
   */
  private static ValidatableRequest extract(RoutingContext ctx, Operation operation) {
    Map<String, RequestParameter> query = new HashMap<>();
    for (io.vertx.openapi.contract.Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() == Location.QUERY) {
        String value = ctx.queryParams().get(parameter.getName());
        if (value != null) {
          query.put(parameter.getName(), new RequestParameterImpl(value));
        }
      }
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    return new ValidatableRequestImpl(Map.of(), Map.of(), Map.of(), query, body == null ? null : new RequestParameterImpl(body),
        ctx.request().getHeader("content-type"));
  }

  private static void refuse(RoutingContext ctx, Throwable failed, AuditTrail audit) {
    io.trafficcoordinator.security.Caller caller = ApiAccess.caller(ctx);
    String requestId = ctx.get(RequestIds.HEADER);
    boolean unsupported = failed instanceof ValidatorException invalid && invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT
        && invalid.getMessage() != null && invalid.getMessage().toLowerCase(java.util.Locale.ROOT).contains("request body");
    if (audit != null) {
      audit.refused(ApiAccess.client(ctx), caller == null ? null : caller.subject(),
        caller == null || caller.role() == null ? null : caller.role().slug(), ctx.get(ApiAccess.ACTION), null, "invalid",
        unsupported ? 415 : 400, requestId, "the request does not match the API");
    }
    if (unsupported) {
      ControlProblems.send(ctx, 415, "unsupported-media-type", "Unsupported media type",
          "the body must be JSON (Content-Type: application/json)");
      return;
    }
    List<ConfigProblem> problems = new ArrayList<>();
    if (failed instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      List<ConfigProblem> raw = new ArrayList<>();
      collect(schema.getOutputUnit(), raw);
      problems.addAll(mostSpecific(raw));
    }
    if (problems.isEmpty()) {
      problems.add(new ConfigProblem("request", failed.getMessage() == null ? "invalid" : failed.getMessage()));
    }
    ControlProblems.send(ctx, 400, "invalid-request", "Bad request", "the request does not match the API ("
        + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ")", problems);
  }

  /**
   * One message per bad field, the most telling: the validator also reports each field's enclosing
   * failures ("Property x does not match schema") and, for a known field with a bad value, an
   * additional-properties failure; those are dropped when a specific message exists, and an
   * additional-properties failure alone means the field is unknown.
   */
  private static List<ConfigProblem> mostSpecific(List<ConfigProblem> raw) {
    Map<String, List<String>> byPath = new java.util.LinkedHashMap<>();
    raw.forEach(p -> byPath.computeIfAbsent(p.path(), k -> new ArrayList<>()).add(p.message()));
    List<ConfigProblem> problems = new ArrayList<>();
    byPath.forEach((path, messages) -> {
      List<String> specific = messages.stream().filter(m -> !m.matches("Property \".*\" does not match .*")).distinct().toList();
      boolean descendantFailed = byPath.keySet().stream()
          .anyMatch(other -> other.startsWith(path + "[") || other.startsWith(path + "."));
      if (!specific.isEmpty()) {
        specific.forEach(m -> problems.add(new ConfigProblem(path, m)));
      } else if (descendantFailed) {
        // Only failing because something inside it does: that is reported at its own path.
        return;
      } else if (messages.stream().anyMatch(m -> m.contains("additional properties"))) {
        problems.add(new ConfigProblem(path, "unknown field"));
      } else {
        problems.add(new ConfigProblem(path, messages.get(0)));
      }
    });
    return problems;
  }

  /** The leaf errors of a validation result, each with the path of the bad field. */
  private static void collect(OutputUnit unit, List<ConfigProblem> problems) {
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      String keyword = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
      String error = unit.getError();
      // Failures inside the alternatives of anyOf/oneOf are summed up by the anyOf's own error, and
      // "a subschema had errors" only points at the errors listed anyway.
      if (error != null && !keyword.contains("/anyOf/") && !keyword.contains("/oneOf/")
          && !error.equals("A subschema had errors") && !error.equals("Items did not match schema")) {
        problems.add(new ConfigProblem(path(unit), error.equals("Instance does not match any subschemas")
            ? "matches none of the allowed forms (see the API document)" : error));
      }
      return;
    }
    for (OutputUnit error : errors) {
      collect(error, problems);
    }
  }

  /** A JSON pointer as the configuration's paths are written: /endpoints/0/url becomes endpoints[0].url. */
  static String path(OutputUnit unit) {
    String pointer = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
    if (pointer.startsWith("#")) {
      pointer = pointer.substring(1);
    }
    StringBuilder path = new StringBuilder();
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      String name = segment.replace("~1", "/").replace("~0", "~");
      if (name.chars().allMatch(Character::isDigit)) {
        path.append('[').append(name).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(name);
      }
    }
    String keyword = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    if (keyword.endsWith("/required") && unit.getError() != null) {
      Matcher m = REQUIRED.matcher(unit.getError());
      if (m.find()) {
        path.append(path.length() == 0 ? "" : ".").append(m.group(1));
      }
    }
    return path.length() == 0 ? "body" : path.toString();
  }
}
