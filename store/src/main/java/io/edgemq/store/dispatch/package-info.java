/**
 * The dispatcher: follows the CommitLog and builds the consume queues and the index from it, then
 * tells arrival listeners.
 */
package io.edgemq.store.dispatch;
