/**
 * The client's public API: {@link io.edgemq.client.api.Producer}, {@link
 * io.edgemq.client.api.PushConsumer}, {@link io.edgemq.client.api.PullConsumer}, {@link
 * io.edgemq.client.api.Admin}, the immutable {@link io.edgemq.client.api.Message} and the values
 * they return. Everything outside this package is internal.
 */
package io.edgemq.client.api;
