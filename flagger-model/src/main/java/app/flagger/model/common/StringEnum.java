package app.flagger.model.common;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** An enum whose constants stand for Flagger's exact strings. */
public interface StringEnum {
  /** The string as written in Flagger's YAML. */
  String value();

  /** The constant whose string is {@code s}, or empty. */
  static <E extends Enum<E> & StringEnum> Optional<E> parse(Class<E> type, String s) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.value().equals(s)).findFirst();
  }

  /** Every constant's string, in declaration order. */
  static <E extends Enum<E> & StringEnum> List<String> values(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(StringEnum::value).toList();
  }
}
