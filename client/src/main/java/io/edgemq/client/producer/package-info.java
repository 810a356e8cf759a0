/** The producer: queue selection, retries, sync/async/oneway/batch sends. */
package io.edgemq.client.producer;
