/**
 * The launcher's configuration: every key with its default ({@link io.edgemq.dist.config.Keys}),
 * loaded from a properties file and command-line overrides and refused with the key and the reason.
 */
package io.edgemq.dist.config;
