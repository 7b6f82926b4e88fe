package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmMemoryTest {
  @Test
  void sumsTheSerialCollectorsGenerations() {
    String info =
        """
        22580:
        DefNew     total 116224K, used 56381K [0x0000000687400000, 0x000000068f210000)
         eden space 103360K,  54% used [0x0000000687400000, 0x000000068ab0f4a8)
        Tenured    total 258048K, used 8925K [0x0000000704d50000, 0x0000000714950000)
         the  space 258048K,   3% used [0x0000000704d50000, 0x00000007056075e0)
        Metaspace       used 29844K, committed 30080K, reserved 1114112K
        """;

    assertThat(JvmMemory.heap(info)).isEqualTo(" heapUsedMB=63 heapCommittedMB=365");
  }

  @Test
  void readsG1sCommittedSize() {
    String info =
        """
        23778:
        garbage-first heap   total reserved 6172672K, committed 69632K, used 22686K [0x0, 0x1)
         region size 4096K, 6 young (24576K), 3 survivors (12288K)
        """;

    assertThat(JvmMemory.heap(info)).isEqualTo(" heapUsedMB=22 heapCommittedMB=68");
  }

  @Test
  void saysWhenItCannotReadTheHeap() {
    assertThat(JvmMemory.heap("1:\ncom.sun.tools.attach.AttachNotSupportedException: no"))
        .startsWith(" heapInfo=unparsed(com.sun.tools.attach");
  }

  @Test
  void readsTheCommittedSizeOfEachNativeMemoryCategory() {
    String nmt =
        """
        Native Memory Tracking:

        Total: reserved=7620795KB, committed=468283KB
               malloc: 18083KB #122402, peak=40661KB #115790

        -                 Java Heap (reserved=6172672KB, committed=387136KB)
                                    (mmap: reserved=6172672KB, committed=387136KB, at peak)
        -                     Class (reserved=1049070KB, committed=5166KB)
        -                    Thread (reserved=31857KB, committed=3109KB)
        -                      Code (reserved=250667KB, committed=13103KB)
        -                        GC (reserved=20117KB, committed=1289KB)
        -                     Other (reserved=40KB, committed=40KB)
        -                    Symbol (reserved=6848KB, committed=6848KB)
        -        Shared class space (reserved=16384KB, committed=13908KB, readonly=0KB)
        -               Arena Chunk (reserved=3249KB, committed=3249KB)
        -                 Metaspace (reserved=65655KB, committed=30199KB)
        """;

    assertThat(JvmMemory.nativeMemory(nmt))
        .isEqualTo(
            " heapMB=378 classMB=5 metaspaceMB=29 threadMB=3 codeMB=12 gcMB=1 symbolMB=6"
                + " sharedClassMB=13 otherMB=0 restMB=7 nmtTotalMB=457");
  }
}
