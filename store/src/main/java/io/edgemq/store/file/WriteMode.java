package io.edgemq.store.file;

/** How bytes get into a {@link MappedFile}; reads always go through the mapping. */
public enum WriteMode {
  /**
   * Copy into a read-write mapping: the cheapest append, but writing the pages back means
   * write-protecting them first (TLB shootdowns), which makes each force slow.
   */
  MAPPED,
  /**
   * Positional writes through the file channel and fdatasync to force; the mapping is read-only, so
   * the kernel writes pages back without touching page tables. About 3× faster per force on this
   * project's build machine, at a system call per write: the choice for SYNC.
   */
  CHANNEL
}
