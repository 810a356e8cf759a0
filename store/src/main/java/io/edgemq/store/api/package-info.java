/**
 * What other modules may call: {@link io.edgemq.store.api.MessageStore} and its config, message,
 * result and status types. Everything outside this package is internal to the store.
 */
package io.edgemq.store.api;
