/**
 * Delay, timer and retry messages: they wait in the {@code %TIMER%} topic of the store and are
 * indexed by due time in time-bucketed files under {@code <dataDir>/timer/}; one thread moves each
 * to its real topic when due. See docs/broker.md, "Delay and timer messages".
 */
package io.edgemq.broker.timer;
