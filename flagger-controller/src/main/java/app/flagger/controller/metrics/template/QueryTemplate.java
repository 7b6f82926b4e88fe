package app.flagger.controller.metrics.template;

import app.flagger.controller.metrics.template.TemplateParser.Command;
import app.flagger.controller.metrics.template.TemplateParser.Dot;
import app.flagger.controller.metrics.template.TemplateParser.Func;
import app.flagger.controller.metrics.template.TemplateParser.Literal;
import app.flagger.controller.metrics.template.TemplateParser.Operand;
import app.flagger.controller.metrics.template.TemplateParser.Paren;
import app.flagger.controller.metrics.template.TemplateParser.Pipeline;
import app.flagger.controller.metrics.template.TemplateParser.Var;
import app.flagger.model.validation.PlainValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders the Go text/template queries Flagger users write (Flagger's {@code RenderQuery}): the
 * zero-argument functions {@code name}, {@code namespace}, {@code target}, {@code service}, {@code
 * ingress}, {@code route}, {@code interval}, {@code baseline} (the judge's baseline workload) and
 * {@code variables} (a map read as {@code {{ variables.key }}}), plus {@code printf}/{@code print},
 * {@code $var :=} variables, pipes, comments and {@code {{- -}}} trimming. As in Flagger the data
 * is nil and missing keys are errors: an unknown function, variable or key is reported by name,
 * never rendered as an empty string.
 *
 * <p>The values come from the Canary and are pasted into the query unescaped, so each must be a
 * plain value ({@link PlainValue}: letters, digits and {@code . _ - / :}); any other value fails
 * the render, naming the function or variable, before anything reaches the provider. The Canary
 * validator refuses such Canaries first; this is the second line.
 */
public final class QueryTemplate {
  private static final Set<String> FUNCTIONS =
      Set.of(
          "name",
          "namespace",
          "target",
          "service",
          "ingress",
          "route",
          "interval",
          "variables",
          "baseline",
          "printf",
          "print");

  private QueryTemplate() {}

  /** Renders {@code template} for {@code model}. */
  public static String render(String template, MetricTemplateModel model) throws TemplateException {
    List<Object> nodes = parse(template);
    StringBuilder out = new StringBuilder();
    Map<String, Object> vars = new HashMap<>();
    for (Object node : nodes) {
      if (node instanceof String text) {
        out.append(text);
      } else {
        Action action = (Action) node;
        try {
          Object value = new Evaluator(model, vars).pipeline(action.pipeline());
          if (action.pipeline().variable() == null) {
            out.append(GoFormat.print(value));
          }
        } catch (IllegalArgumentException e) {
          throw new TemplateException(
              "template excution failed: template: query:"
                  + action.line()
                  + ": executing \"query\" at <"
                  + action.source()
                  + ">: "
                  + e.getMessage());
        }
      }
    }
    return out.toString();
  }

  private record Action(Pipeline pipeline, int line, String source) {}

  private static List<Object> parse(String template) throws TemplateException {
    List<Object> nodes = new ArrayList<>();
    List<String> declared = new ArrayList<>(List.of("$"));
    int pos = 0;
    boolean trimNext = false;
    while (pos <= template.length()) {
      int open = template.indexOf("{{", pos);
      String text = open < 0 ? template.substring(pos) : template.substring(pos, open);
      if (trimNext) {
        text = text.stripLeading();
      }
      if (open < 0) {
        nodes.add(text);
        break;
      }
      boolean trimBefore = template.startsWith("{{- ", open);
      nodes.add(trimBefore ? text.stripTrailing() : text);
      int line = 1 + (int) template.substring(0, open).chars().filter(c -> c == '\n').count();
      int close = closing(template, open + 2);
      if (close < 0) {
        throw new TemplateException(
            "template parsing failed: template: query:" + line + ": unclosed action");
      }
      String inner = template.substring(open + (trimBefore ? 3 : 2), close);
      trimNext = inner.endsWith(" -");
      if (trimNext) {
        inner = inner.substring(0, inner.length() - 2);
      }
      String body = inner.strip();
      if (!(body.startsWith("/*") && body.endsWith("*/"))) {
        try {
          nodes.add(new Action(TemplateParser.parse(body, FUNCTIONS, declared), line, body));
        } catch (IllegalArgumentException e) {
          throw new TemplateException(
              "template parsing failed: template: query:" + line + ": " + e.getMessage());
        }
      }
      pos = close + 2;
    }
    return nodes;
  }

  /** The index of the {@code }}} closing an action, skipping quoted strings. */
  private static int closing(String s, int from) {
    char quote = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '`') {
        quote = c;
      } else if (s.startsWith("}}", i)) {
        return i;
      }
    }
    return -1;
  }

  /** Evaluates one action's pipeline; errors are IllegalArgumentExceptions naming the culprit. */
  private record Evaluator(MetricTemplateModel model, Map<String, Object> vars) {
    Object pipeline(Pipeline p) {
      Object last = null;
      boolean first = true;
      for (Command command : p.commands()) {
        last = command(command, first ? null : last, !first);
        first = false;
      }
      if (p.variable() != null) {
        vars.put(p.variable(), last);
      }
      return last;
    }

    private Object command(Command command, Object piped, boolean hasPiped) {
      Operand head = command.operands().get(0);
      List<Object> args = new ArrayList<>();
      for (Operand o : command.operands().subList(1, command.operands().size())) {
        args.add(operand(o));
      }
      if (hasPiped) {
        args.add(piped);
      }
      if (head instanceof Func f) {
        return fields(call(f.name(), args), f.fields(), f.name());
      }
      if (!args.isEmpty()) {
        throw new IllegalArgumentException("can't give argument to non-function " + describe(head));
      }
      return operand(head);
    }

    private Object operand(Operand o) {
      return switch (o) {
        case Func f -> fields(call(f.name(), List.of()), f.fields(), f.name());
        case Var v -> {
          if (v.name().equals("$")) {
            yield fields(null, v.fields(), "$");
          }
          yield fields(vars.get(v.name()), v.fields(), v.name());
        }
        case Dot d -> fields(null, d.fields(), "");
        case Literal l -> l.value();
        case Paren p -> fields(pipeline(p.pipeline()), p.fields(), "(...)");
      };
    }

    private Object fields(Object value, List<String> fields, String owner) {
      Object current = value;
      String path = owner;
      for (String field : fields) {
        path = path + "." + field;
        if (current == null) {
          throw new IllegalArgumentException(
              "nil data; no entry for key \""
                  + field
                  + "\" (the query has no data: use the functions {{ namespace }}, {{ target }},"
                  + " {{ variables."
                  + field
                  + " }} ... instead of {{ ."
                  + field
                  + " }})");
        }
        if (!(current instanceof Map<?, ?> map)) {
          throw new IllegalArgumentException(
              "can't evaluate field " + field + " in type string (" + path + ")");
        }
        if (!map.containsKey(field)) {
          throw new IllegalArgumentException("map has no entry for key \"" + field + "\"");
        }
        current = map.get(field);
      }
      return current;
    }

    private Object call(String name, List<Object> args) {
      if (name.equals("printf")) {
        if (args.isEmpty() || !(args.get(0) instanceof String format)) {
          throw new IllegalArgumentException("printf needs a format string");
        }
        return GoFormat.sprintf(format, args.subList(1, args.size()));
      }
      if (name.equals("print")) {
        StringBuilder b = new StringBuilder();
        args.forEach(a -> b.append(GoFormat.print(a)));
        return b.toString();
      }
      if (!args.isEmpty()) {
        throw new IllegalArgumentException(
            "wrong number of args for " + name + ": want 0 got " + args.size());
      }
      return switch (name) {
        case "name" -> plain(name, model.name());
        case "namespace" -> plain(name, model.namespace());
        case "target" -> plain(name, model.target());
        case "service" -> plain(name, model.service());
        case "ingress" -> plain(name, model.ingress());
        case "route" -> plain(name, model.route());
        case "interval" -> plain(name, model.interval());
        case "baseline" -> plain(name, model.baseline());
        case "variables" -> {
          new TreeMap<>(model.variables())
              .forEach((key, value) -> plain("variables." + key, value));
          yield model.variables();
        }
        default -> throw new IllegalArgumentException("function \"" + name + "\" not defined");
      };
    }

    /** {@code value} when it is a plain value (see {@link PlainValue}); otherwise an error. */
    private static String plain(String what, String value) {
      PlainValue.problem(value)
          .ifPresent(
              problem -> {
                throw new IllegalArgumentException(what + " " + problem);
              });
      return value;
    }

    private static String describe(Operand o) {
      return switch (o) {
        case Literal l -> GoFormat.print(l.value());
        case Var v -> v.name();
        default -> o.toString();
      };
    }
  }
}
