/**
 * Start-up and shutdown safety: the directory lock, the abort marker, the checkpoint, and the
 * CommitLog scan that finds the valid end after an unclean stop.
 */
package io.edgemq.store.recovery;
