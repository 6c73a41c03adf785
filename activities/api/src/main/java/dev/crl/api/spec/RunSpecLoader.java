package dev.crl.api.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads run specs from YAML into {@link RunSpec}, strictly: an unknown key, a value of the wrong
 * type or a value out of range is an error naming the field, the bad value and what is allowed.
 * Nothing is written while loading, so a bad spec costs the user nothing but the message.
 */
public final class RunSpecLoader {
  private static final String PRESET_DIR = "crl/presets/";

  private final SpecContext context;

  public RunSpecLoader(SpecContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /** The strict YAML mapper used for specs (snake_case keys, unknown keys rejected). */
  public static ObjectMapper yamlMapper() {
    YAMLMapper mapper = YAMLMapper.builder(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    // A quoted "1e-6" for a number is a typo worth reporting, not something to guess about.
    mapper.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return mapper;
  }

  /** The JSON mapper with the same conventions, for payloads and reports. */
  public static ObjectMapper jsonMapper() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /** Loads and validates a spec file. */
  public RunSpec load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException missing) {
      throw new SpecException(file.toString(),
          List.of(new SpecProblem("(file)", file.toString(), "the path of an existing YAML file")));
    } catch (IOException e) {
      throw new SpecException(file.toString(),
          List.of(new SpecProblem("(file)", file.toString(), "a readable file (" + e.getMessage() + ")")));
    }
    return parse(text, file.toString());
  }

  /** Loads and validates a bundled preset. */
  public RunSpec loadPreset(String name) {
    try (InputStream in = RunSpecLoader.class.getClassLoader()
        .getResourceAsStream(PRESET_DIR + name + ".yaml")) {
      if (in == null) {
        throw new SpecException("--preset " + name, List.of(new SpecProblem(
            "preset", name, "bundled presets are " + String.join(", ", presetNames()))));
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + name);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read bundled preset " + name, e);
    }
  }

  /** Names of the presets bundled with this build. */
  public static List<String> presetNames() {
    try (InputStream in = RunSpecLoader.class.getClassLoader()
        .getResourceAsStream(PRESET_DIR + "index.txt")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the preset index", e);
    }
  }

  /** Parses and validates YAML text; {@code source} names it in messages. */
  public RunSpec parse(String yaml, String source) {
    RunSpec spec;
    try {
      spec = yamlMapper().readValue(yaml, RunSpec.class);
    } catch (JsonProcessingException e) {
      throw new SpecException(source, List.of(problemOf(e, yaml)));
    }
    if (spec == null) {
      throw new SpecException(source, List.of(new SpecProblem("(document)", "",
          "a YAML mapping with at least a 'tasks' section")));
    }
    List<SpecProblem> problems = RunSpecValidator.validate(spec, context);
    if (!problems.isEmpty()) {
      throw new SpecException(source, problems);
    }
    return spec;
  }

  /** The resolved spec (defaults filled in) as YAML, for the run directory and for humans. */
  public static String toYaml(RunSpec spec) {
    try {
      return yamlMapper().writeValueAsString(redacted(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render spec", e);
    }
  }

  /** The resolved spec flattened to dotted keys, e.g. for MLflow params. Secrets are masked. */
  @SuppressWarnings("unchecked")
  public static Map<String, String> flatten(RunSpec spec) {
    Map<String, Object> tree = yamlMapper().convertValue(redacted(spec), Map.class);
    Map<String, String> flat = new java.util.TreeMap<>();
    flattenInto("", tree, flat);
    return flat;
  }

  private static RunSpec redacted(RunSpec spec) {
    BackendsSpec b = spec.backends();
    return spec.withBackends(new BackendsSpec(b.temporal(), b.objectStore().redacted(),
        b.vectorStore().apiKey() == null ? b.vectorStore()
            : new BackendsSpec.VectorStoreBackend(b.vectorStore().kind(), b.vectorStore().url(), "****"),
        b.metrics()));
  }

  @SuppressWarnings("unchecked")
  private static void flattenInto(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flattenInto(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flattenInto(prefix + "." + i, list.get(i), out);
      }
    } else if (node != null) {
      out.put(prefix, String.valueOf(node));
    }
  }

  private static SpecProblem problemOf(JsonProcessingException e, String yaml) {
    String where = location(e.getLocation());
    if (e instanceof UnrecognizedPropertyException unknown) {
      where = keyLine(yaml, unknown.getPropertyName(), e.getLocation());
      String field = path(unknown);
      List<String> known = names(unknown.getKnownPropertyIds());
      String suggestion = closest(unknown.getPropertyName(), known);
      return new SpecProblem(field, unknown.getPropertyName(),
          "unknown key" + where + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
              + " Keys allowed here: " + String.join(", ", known));
    }
    if (e instanceof InvalidFormatException format) {
      return new SpecProblem(path(format), String.valueOf(format.getValue()),
          "expected " + typeName(format.getTargetType()) + where);
    }
    if (e instanceof MismatchedInputException mismatch) {
      return new SpecProblem(path(mismatch), null,
          "expected " + typeName(mismatch.getTargetType()) + where + " (" + firstLine(e.getOriginalMessage()) + ")");
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return new SpecProblem(path(mapping), null, firstLine(e.getOriginalMessage()) + where);
    }
    return new SpecProblem("(yaml)", null, "well-formed YAML" + where + ": " + firstLine(e.getOriginalMessage()));
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(document)" : sb.toString();
  }

  /**
   * The YAML parser reports where it stopped, which can be the line after an unknown key; the
   * user wants the line the key is written on, so look for it at or before the reported line.
   */
  private static String keyLine(String yaml, String key, JsonLocation loc) {
    List<String> lines = yaml.lines().toList();
    int reported = loc == null || loc.getLineNr() < 1 ? lines.size() : Math.min(loc.getLineNr(), lines.size());
    java.util.regex.Pattern keyPattern = java.util.regex.Pattern.compile(
        "^\\s*(-\\s+)?[\"']?" + java.util.regex.Pattern.quote(key) + "[\"']?\\s*:.*");
    for (int i = reported - 1; i >= 0; i--) {
      if (keyPattern.matcher(lines.get(i)).matches()) {
        return " (line " + (i + 1) + ")";
      }
    }
    return location(loc);
  }

  private static String location(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1 ? "" : " (line " + loc.getLineNr() + ")";
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping of keys";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private static List<String> names(Collection<Object> ids) {
    return ids == null ? List.of()
        : ids.stream().map(String::valueOf).sorted().collect(Collectors.toCollection(ArrayList::new));
  }

  /** The known key nearest to a typo, if it is close enough to be a plausible intent. */
  static String closest(String typo, List<String> known) {
    return known.stream()
        .map(k -> Map.entry(k, editDistance(typo.toLowerCase(), k.toLowerCase())))
        .filter(e -> e.getValue() <= Math.max(2, e.getKey().length() / 3))
        .min(Comparator.comparingInt(Map.Entry::getValue))
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
