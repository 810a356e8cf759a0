/**
 * Memory-mapped segment files: {@link io.edgemq.store.file.MappedFile} moves bytes in one file,
 * {@link io.edgemq.store.file.SegmentedFile} keeps a contiguous run of them named by base offset.
 * Neither knows any record format.
 */
package io.edgemq.store.file;
