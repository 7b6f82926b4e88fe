package app.flagger.controller.metrics.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the inside of one {@code {{ ... }}} action of a Go text/template into a small syntax tree:
 * optional {@code $var :=} declaration, then a pipeline of commands separated by {@code |}.
 */
final class TemplateParser {
  /** One operand: a function call head, a variable, the dot, a literal, or a parenthesised pipe. */
  sealed interface Operand permits Func, Var, Dot, Literal, Paren {}

  record Func(String name, List<String> fields) implements Operand {}

  record Var(String name, List<String> fields) implements Operand {}

  record Dot(List<String> fields) implements Operand {}

  record Literal(Object value) implements Operand {}

  record Paren(Pipeline pipeline, List<String> fields) implements Operand {}

  record Command(List<Operand> operands) {}

  record Pipeline(String variable, boolean declare, List<Command> commands) {}

  private final String src;
  private final Set<String> functions;
  private final List<String> declared;
  private int pos;

  private TemplateParser(String src, Set<String> functions, List<String> declared) {
    this.src = src;
    this.functions = functions;
    this.declared = declared;
  }

  /** Parses one action; {@code declared} collects {@code $variables} across actions. */
  static Pipeline parse(String action, Set<String> functions, List<String> declared) {
    TemplateParser p = new TemplateParser(action, functions, declared);
    Pipeline pipeline = p.pipeline(true);
    p.skipSpace();
    if (p.pos < p.src.length()) {
      throw new IllegalArgumentException(
          "unexpected \"" + p.src.substring(p.pos) + "\" in command");
    }
    return pipeline;
  }

  private Pipeline pipeline(boolean top) {
    skipSpace();
    String variable = null;
    boolean declare = false;
    int mark = pos;
    if (top && peek() == '$') {
      String name = identifier(pos + 1, "$");
      skipSpace();
      if (src.startsWith(":=", pos) || (peek() == '=' && !src.startsWith("==", pos))) {
        declare = src.startsWith(":=", pos);
        pos += declare ? 2 : 1;
        variable = name;
        if (!declare && !declared.contains(name)) {
          throw new IllegalArgumentException("undefined variable \"" + name + "\"");
        }
      } else {
        pos = mark;
      }
    }
    List<Command> commands = new ArrayList<>();
    commands.add(command());
    skipSpace();
    while (peek() == '|') {
      pos++;
      commands.add(command());
      skipSpace();
    }
    if (declare) {
      declared.add(variable);
    }
    return new Pipeline(variable, declare, commands);
  }

  private Command command() {
    List<Operand> operands = new ArrayList<>();
    while (true) {
      skipSpace();
      char c = peek();
      if (c == 0 || c == '|' || c == ')') {
        break;
      }
      operands.add(operand());
    }
    if (operands.isEmpty()) {
      throw new IllegalArgumentException("missing value for command");
    }
    return new Command(operands);
  }

  private Operand operand() {
    char c = peek();
    if (c == '"' || c == '`') {
      return new Literal(string());
    }
    if (c == '-' || c == '+' || Character.isDigit(c)) {
      return new Literal(number());
    }
    if (c == '(') {
      pos++;
      Pipeline inner = pipeline(false);
      skipSpace();
      if (peek() != ')') {
        throw new IllegalArgumentException("unclosed left paren");
      }
      pos++;
      return new Paren(inner, fields());
    }
    if (c == '$') {
      String name = identifier(pos + 1, "$");
      if (!name.equals("$") && !declared.contains(name)) {
        throw new IllegalArgumentException("undefined variable \"" + name + "\"");
      }
      return new Var(name, fields());
    }
    if (c == '.') {
      return new Dot(fields());
    }
    if (Character.isLetter(c) || c == '_') {
      String name = identifier(pos, "");
      if (name.equals("true") || name.equals("false")) {
        return new Literal(Boolean.valueOf(name));
      }
      if (Set.of("if", "range", "with", "define", "template", "block", "else", "end")
          .contains(name)) {
        throw new IllegalArgumentException(
            "unsupported action \""
                + name
                + "\": query templates support values, printf and"
                + " variables only");
      }
      if (!functions.contains(name)) {
        throw new IllegalArgumentException("function \"" + name + "\" not defined");
      }
      return new Func(name, fields());
    }
    throw new IllegalArgumentException("unexpected \"" + c + "\" in command");
  }

  private List<String> fields() {
    List<String> fields = new ArrayList<>();
    while (peek() == '.') {
      int start = pos + 1;
      int end = start;
      while (end < src.length() && isWord(src.charAt(end))) {
        end++;
      }
      pos = end;
      if (end == start) {
        break;
      }
      fields.add(src.substring(start, end));
    }
    return fields;
  }

  private String identifier(int start, String prefix) {
    int end = start;
    while (end < src.length() && isWord(src.charAt(end))) {
      end++;
    }
    pos = end;
    return prefix + src.substring(start, end);
  }

  private String string() {
    char quote = src.charAt(pos++);
    StringBuilder b = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\\' && quote == '"' && pos < src.length()) {
        char e = src.charAt(pos++);
        b.append(
            switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> e;
            });
      } else {
        b.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated quoted string");
  }

  private Object number() {
    int start = pos;
    pos++;
    while (pos < src.length() && (isWord(src.charAt(pos)) || src.charAt(pos) == '.')) {
      pos++;
    }
    String text = src.substring(start, pos);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e2) {
        throw new IllegalArgumentException("bad number syntax: \"" + text + "\"");
      }
    }
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private char peek() {
    return pos < src.length() ? src.charAt(pos) : 0;
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }
}
