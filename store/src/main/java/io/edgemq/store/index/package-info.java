/**
 * The message index: a persistent, memory-mapped hash index from message keys and message ids to
 * CommitLog physical offsets, so that "messages with key K stored between t1 and t2" is a lookup
 * instead of a CommitLog scan. {@link io.edgemq.store.index.IndexService} is the entry point: a
 * single dispatcher thread appends entries while any number of threads query concurrently; the
 * entries live in a sequence of fixed-size files whose layout is documented in {@link
 * io.edgemq.store.index.IndexDescriptor}, each file being one hash table with chained entries
 * ({@code IndexFile}). Results are hash matches, so callers re-check the key on the CommitLog
 * record. On restart the index is trimmed to the recovered CommitLog end, and retention deletes
 * whole files that only point below the CommitLog's first offset.
 */
package io.edgemq.store.index;
