/**
 * MQTT topic names and topic filters: validation, wildcard matching, shared-subscription syntax and
 * the subscription trie that finds the sessions interested in a topic.
 */
package io.edgemq.gateway.topic;
