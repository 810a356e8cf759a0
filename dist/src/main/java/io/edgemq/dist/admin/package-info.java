/**
 * {@code edgemq admin}: brokers, topics, consumer groups, offsets, message queries and test sends
 * over the client's {@link io.edgemq.client.api.Admin}; tables for people, {@code --json} for
 * scripts.
 */
package io.edgemq.dist.admin;
