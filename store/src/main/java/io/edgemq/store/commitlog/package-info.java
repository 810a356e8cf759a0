/**
 * The CommitLog: the record format ({@link io.edgemq.store.commitlog.RecordDescriptor}), its
 * encoder and decoder, appends under a short lock, and the ASYNC and SYNC (group commit) flushers.
 */
package io.edgemq.store.commitlog;
