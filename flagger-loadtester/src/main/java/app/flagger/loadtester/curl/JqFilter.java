package app.flagger.loadtester.curl;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A jq filter of the subset acceptance tests use: {@code .}, {@code .a.b}, {@code ."a-b"}, {@code
 * .[0]}, {@code .["a"]}, {@code .[]}, {@code ?}, {@code |}, {@code //}, {@code and}, {@code or},
 * {@code == != < <= > >=}, parentheses, string, number, boolean and null literals, and the
 * functions {@code length keys not type empty select(f) has(k)}. Evaluation follows jq: a filter
 * maps one input to zero or more outputs.
 */
final class JqFilter {
  /** A runtime error, reported as {@code jq: error (at <stdin>:N): message}. */
  static final class JqError extends RuntimeException {
    JqError(String message) {
      super(message, null, false, false);
    }
  }

  /** The syntax this subset has, for messages and docs. */
  static final String SUPPORTED =
      ". .a .a.b .\"a\" .[0] .[\"a\"] .[] ? | // and or == != < <= > >= ( ) literals"
          + " length keys not type empty select(f) has(k)";

  private sealed interface Expr {}

  private record Identity() implements Expr {}

  private record Field(Expr target, String name) implements Expr {}

  private record Index(Expr target, Expr index) implements Expr {}

  private record Iterate(Expr target) implements Expr {}

  private record Optional(Expr body) implements Expr {}

  private record Literal(JsonValue value) implements Expr {}

  private record Pipe(Expr left, Expr right) implements Expr {}

  private record Compare(String op, Expr left, Expr right) implements Expr {}

  private record Logic(boolean and, Expr left, Expr right) implements Expr {}

  private record Alternative(Expr left, Expr right) implements Expr {}

  private record Call(String name, Expr arg) implements Expr {}

  private final Expr root;

  private JqFilter(Expr root) {
    this.root = root;
  }

  /**
   * @throws UnsupportedCommand naming what is outside the subset or not valid jq
   */
  static JqFilter parse(String text) {
    return new JqFilter(new Parser(JqLexer.tokens(text), text).program());
  }

  /** The outputs for {@code input}, in order. */
  List<JsonValue> apply(JsonValue input) {
    List<JsonValue> out = new ArrayList<>();
    eval(root, input, out);
    return out;
  }

  private static void eval(Expr e, JsonValue in, List<JsonValue> out) {
    switch (e) {
      case Identity i -> out.add(in);
      case Literal l -> out.add(l.value());
      case Field f -> each(f.target(), in, v -> out.add(field(v, f.name())));
      case Index x -> each(x.index(), in, idx -> each(x.target(), in, v -> out.add(index(v, idx))));
      case Iterate it -> each(it.target(), in, v -> iterate(v, out));
      case Optional o -> optional(o.body(), in, out);
      case Pipe p -> each(p.left(), in, v -> eval(p.right(), v, out));
      case Compare c ->
          each(
              c.right(),
              in,
              r -> each(c.left(), in, l -> out.add(bool(JqJson.compare(l, r), c.op()))));
      case Logic l -> logic(l, in, out);
      case Alternative a -> alternative(a, in, out);
      case Call c -> call(c, in, out);
    }
  }

  private interface Each {
    void accept(JsonValue v);
  }

  private static void each(Expr e, JsonValue in, Each f) {
    List<JsonValue> vs = new ArrayList<>();
    eval(e, in, vs);
    vs.forEach(f::accept);
  }

  private static JsonValue field(JsonValue v, String name) {
    return switch (v.getValueType()) {
      case NULL -> JsonValue.NULL;
      case OBJECT -> v.asJsonObject().getOrDefault(name, JsonValue.NULL);
      default -> throw new JqError("Cannot index " + JqJson.type(v) + " with \"" + name + "\"");
    };
  }

  private static JsonValue index(JsonValue v, JsonValue idx) {
    if (idx instanceof JsonString s) {
      return field(v, s.getString());
    }
    if (idx instanceof JsonNumber n && v.getValueType() != JsonValue.ValueType.OBJECT) {
      if (v.getValueType() == JsonValue.ValueType.NULL) {
        return JsonValue.NULL;
      }
      if (v instanceof JsonArray a) {
        int i = (int) Math.floor(n.doubleValue());
        int at = i < 0 ? a.size() + i : i;
        return at >= 0 && at < a.size() ? a.get(at) : JsonValue.NULL;
      }
    }
    throw new JqError("Cannot index " + JqJson.type(v) + " with " + JqJson.type(idx));
  }

  private static void iterate(JsonValue v, List<JsonValue> out) {
    switch (v) {
      case JsonArray a -> out.addAll(a);
      case JsonObject o -> out.addAll(o.values());
      default ->
          throw new JqError(
              "Cannot iterate over "
                  + JqJson.type(v)
                  + (v.getValueType() == JsonValue.ValueType.NULL
                      ? ""
                      : " (" + JqJson.compact(v) + ")"));
    }
  }

  private static void optional(Expr body, JsonValue in, List<JsonValue> out) {
    List<JsonValue> vs = new ArrayList<>();
    try {
      eval(body, in, vs);
    } catch (JqError e) {
      // e? keeps the outputs before the error and drops the error
    }
    out.addAll(vs);
  }

  private static JsonValue bool(int cmp, String op) {
    boolean b =
        switch (op) {
          case "==" -> cmp == 0;
          case "!=" -> cmp != 0;
          case "<" -> cmp < 0;
          case "<=" -> cmp <= 0;
          case ">" -> cmp > 0;
          case ">=" -> cmp >= 0;
          default -> throw new IllegalStateException(op);
        };
    return b ? JsonValue.TRUE : JsonValue.FALSE;
  }

  private static void logic(Logic l, JsonValue in, List<JsonValue> out) {
    each(
        l.left(),
        in,
        left -> {
          boolean t = JqJson.truthy(left);
          if (l.and() != t) {
            out.add(t ? JsonValue.TRUE : JsonValue.FALSE);
            return;
          }
          each(l.right(), in, r -> out.add(JqJson.truthy(r) ? JsonValue.TRUE : JsonValue.FALSE));
        });
  }

  private static void alternative(Alternative a, JsonValue in, List<JsonValue> out) {
    List<JsonValue> left = new ArrayList<>();
    try {
      eval(a.left(), in, left);
    } catch (JqError e) {
      // errors on the left count as no value
    }
    List<JsonValue> truthy = left.stream().filter(JqJson::truthy).toList();
    if (truthy.isEmpty()) {
      eval(a.right(), in, out);
    } else {
      out.addAll(truthy);
    }
  }

  private static void call(Call c, JsonValue in, List<JsonValue> out) {
    switch (c.name()) {
      case "length" -> out.add(length(in));
      case "keys" -> out.add(keys(in));
      case "not" -> out.add(JqJson.truthy(in) ? JsonValue.FALSE : JsonValue.TRUE);
      case "type" -> out.add(Jsons.createValue(JqJson.type(in)));
      case "empty" -> {
        // no output
      }
      case "select" ->
          each(
              c.arg(),
              in,
              v -> {
                if (JqJson.truthy(v)) {
                  out.add(in);
                }
              });
      case "has" -> each(c.arg(), in, k -> out.add(has(in, k)));
      default -> throw new IllegalStateException(c.name());
    }
  }

  private static JsonValue length(JsonValue v) {
    return switch (v) {
      case JsonArray a -> Jsons.createValue(a.size());
      case JsonObject o -> Jsons.createValue(o.size());
      case JsonString s ->
          Jsons.createValue(s.getString().codePointCount(0, s.getString().length()));
      case JsonNumber n -> Jsons.createValue(n.bigDecimalValue().abs());
      default -> {
        if (v.getValueType() == JsonValue.ValueType.NULL) {
          yield Jsons.createValue(0);
        }
        throw new JqError(JqJson.type(v) + " (" + JqJson.compact(v) + ") has no length");
      }
    };
  }

  private static JsonValue keys(JsonValue v) {
    var b = Jsons.createArrayBuilder();
    switch (v) {
      case JsonObject o -> o.keySet().stream().sorted(JqJson::compareStrings).forEach(b::add);
      case JsonArray a -> {
        for (int i = 0; i < a.size(); i++) {
          b.add(i);
        }
      }
      default -> throw new JqError(JqJson.type(v) + " (" + JqJson.compact(v) + ") has no keys");
    }
    return b.build();
  }

  private static JsonValue has(JsonValue v, JsonValue k) {
    if (v instanceof JsonObject o && k instanceof JsonString s) {
      return o.containsKey(s.getString()) ? JsonValue.TRUE : JsonValue.FALSE;
    }
    if (v instanceof JsonArray a && k instanceof JsonNumber n) {
      BigDecimal i = n.bigDecimalValue();
      boolean in = i.signum() >= 0 && i.compareTo(BigDecimal.valueOf(a.size())) < 0;
      return in ? JsonValue.TRUE : JsonValue.FALSE;
    }
    throw new JqError(
        "Cannot check whether " + JqJson.type(v) + " has a " + JqJson.type(k) + " key");
  }

  /** Recursive descent over {@link JqLexer}'s tokens, jq's precedence from low to high. */
  private static final class Parser {
    private final List<JqLexer.Token> tokens;
    private final String text;
    private int pos;

    Parser(List<JqLexer.Token> tokens, String text) {
      this.tokens = tokens;
      this.text = text;
    }

    Expr program() {
      if (tokens.isEmpty()) {
        return new Identity();
      }
      Expr e = pipe();
      if (pos < tokens.size()) {
        throw unexpected();
      }
      return e;
    }

    private Expr pipe() {
      Expr e = alternative();
      while (accept("|")) {
        e = new Pipe(e, alternative());
      }
      if (peek(",")) {
        throw new UnsupportedCommand("the jq operator , (several outputs) in " + text);
      }
      return e;
    }

    private Expr alternative() {
      Expr e = or();
      if (accept("//")) {
        return new Alternative(e, alternative());
      }
      return e;
    }

    private Expr or() {
      Expr e = and();
      while (accept("or")) {
        e = new Logic(false, e, and());
      }
      return e;
    }

    private Expr and() {
      Expr e = comparison();
      while (accept("and")) {
        e = new Logic(true, e, comparison());
      }
      return e;
    }

    private Expr comparison() {
      Expr e = postfix();
      for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
        if (accept(op)) {
          return new Compare(op, e, postfix());
        }
      }
      return e;
    }

    private Expr postfix() {
      Expr e = primary();
      while (pos < tokens.size()) {
        JqLexer.Token t = tokens.get(pos);
        if (t.kind() == JqLexer.Kind.FIELD) {
          pos++;
          e = new Field(e, t.text());
        } else if (t.is(".") && pos + 1 < tokens.size() && tokens.get(pos + 1).is("[")) {
          pos++;
        } else if (accept("[")) {
          e = bracket(e);
        } else if (accept("?")) {
          e = new Optional(e);
        } else {
          break;
        }
      }
      return e;
    }

    private Expr bracket(Expr target) {
      if (accept("]")) {
        return new Iterate(target);
      }
      Expr idx = pipe();
      if (peek(":")) {
        throw new UnsupportedCommand("jq slices .[a:b] in " + text);
      }
      expect("]");
      return new Index(target, idx);
    }

    private Expr primary() {
      if (pos >= tokens.size()) {
        throw new UnsupportedCommand("jq filter " + text + " ends too early");
      }
      JqLexer.Token t = tokens.get(pos++);
      switch (t.kind()) {
        case FIELD -> {
          return new Field(new Identity(), t.text());
        }
        case STRING -> {
          return new Literal(Jsons.createValue(t.text()));
        }
        case NUMBER -> {
          return new Literal(Jsons.createValue(new BigDecimal(t.text())));
        }
        case WORD -> {
          return word(t.text());
        }
        default -> {
          // punctuation, below
        }
      }
      if (t.is(".")) {
        return new Identity();
      }
      if (t.is("(")) {
        Expr e = pipe();
        expect(")");
        return e;
      }
      pos--;
      throw unexpected();
    }

    private Expr word(String w) {
      switch (w) {
        case "true" -> {
          return new Literal(JsonValue.TRUE);
        }
        case "false" -> {
          return new Literal(JsonValue.FALSE);
        }
        case "null" -> {
          return new Literal(JsonValue.NULL);
        }
        case "length", "keys", "not", "type", "empty" -> {
          return new Call(w, null);
        }
        case "select", "has" -> {
          expect("(");
          Expr arg = pipe();
          expect(")");
          return new Call(w, arg);
        }
        default ->
            throw new UnsupportedCommand(
                "jq " + w + " in " + text + " (the built-in jq has: " + SUPPORTED + ")");
      }
    }

    private boolean peek(String p) {
      return pos < tokens.size() && tokens.get(pos).is(p);
    }

    private boolean accept(String p) {
      if (peek(p)) {
        pos++;
        return true;
      }
      return false;
    }

    private void expect(String p) {
      if (!accept(p)) {
        throw unexpected();
      }
    }

    private UnsupportedCommand unexpected() {
      String at = pos < tokens.size() ? "\"" + tokens.get(pos).text() + "\"" : "the end";
      return new UnsupportedCommand(
          "jq filter " + text + ": unexpected " + at + " (the built-in jq has: " + SUPPORTED + ")");
    }
  }
}
