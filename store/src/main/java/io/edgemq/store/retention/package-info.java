/**
 * Retention: deletes whole CommitLog segments by age or disk pressure, and what points into them.
 */
package io.edgemq.store.retention;
