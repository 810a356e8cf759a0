/**
 * How MQTT topics become broker topics, tags and keys, and back: an ordered table of {@link
 * io.edgemq.gateway.mapping.MappingRule}s with a documented default for topics no rule matches. See
 * docs/gateway-mqtt-mapping.md.
 */
package io.edgemq.gateway.mapping;
