/**
 * Transactional messages: half messages in {@code %HALF%}, outcomes as op records in {@code
 * %HALF_OP%}, check-back through the command channels, recovery of pending halves at start.
 */
package io.edgemq.broker.transaction;
