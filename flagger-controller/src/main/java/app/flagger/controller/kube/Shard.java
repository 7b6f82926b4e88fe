package app.flagger.controller.kube;

import java.nio.charset.StandardCharsets;

/**
 * Which Canaries this controller handles when several controllers split them ({@code
 * flagger.shard-index}, {@code flagger.shard-count}): a Canary belongs to shard {@code
 * fnv1a32(namespace + "/" + name) mod count}, the hash taken over the UTF-8 bytes and read as an
 * unsigned 32-bit number. The hash is FNV-1a (offset basis {@code 0x811c9dc5}, prime {@code
 * 0x01000193}), so the assignment is the same on every JVM and in any language; it changes only
 * when the count changes.
 *
 * @param index this controller's shard, {@code 0 <= index < count}
 * @param count how many shards there are; 1 means no sharding
 */
public record Shard(int index, int count) {
  /** One shard holding every Canary: no sharding. */
  public static final Shard ALL = new Shard(0, 1);

  private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  public Shard {
    if (count < 1) {
      throw new IllegalArgumentException(
          "flagger.shard-count: expected a number of shards of at least 1, got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "flagger.shard-index: expected a shard index from 0 to "
              + (count - 1)
              + " (flagger.shard-count is "
              + count
              + "), got "
              + index);
    }
  }

  /** The 32-bit FNV-1a hash of the UTF-8 bytes of {@code s}, as an unsigned number. */
  public static long fnv1a32(String s) {
    int hash = FNV_OFFSET_BASIS;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return Integer.toUnsignedLong(hash);
  }

  /** The shard of the Canary {@code namespace/name} among {@code count} shards. */
  public static int of(String namespace, String name, int count) {
    return (int) (fnv1a32(namespace + "/" + name) % count);
  }

  /** Whether this controller handles the Canary {@code namespace/name}. */
  public boolean owns(String namespace, String name) {
    return count == 1 || of(namespace, name, count) == index;
  }

  /** Whether the Canaries are split among more than one controller. */
  public boolean sharded() {
    return count > 1;
  }

  /**
   * The leader-election Lease of this shard: {@code base} without sharding, else {@code
   * <base>-shard-<index>-of-<count>}, so each shard elects its own leader.
   */
  public String leaseName(String base) {
    return sharded() ? base + "-shard-" + index + "-of-" + count : base;
  }

  @Override
  public String toString() {
    return sharded() ? "shard " + index + " of " + count : "no sharding";
  }
}
