/**
 * Pop consumption (the RocketMQ 5 simple-consumer model): receive with an invisible duration, ack
 * by receipt handle, change the invisible duration, redelivery of what expired and dead letters
 * after the group's retries, without queue ownership. State lives in an append-only log under
 * {@code <dataDir>/pop}. See docs/broker.md, "Pop consumption".
 */
package io.edgemq.broker.pop;
