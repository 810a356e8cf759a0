/**
 * Topics on this broker: the table (name, queue counts, permission) persisted in the broker's
 * {@code topics} file, auto-creation, and the topic RPCs of {@code edgemq.v1.Admin}.
 */
package io.edgemq.broker.topic;
