/**
 * Broker → device delivery: the subscription trie of this gateway node, the broker topic feeds
 * behind it, retained messages, and the fan-out of each message to the matching sessions.
 */
package io.edgemq.gateway.delivery;
