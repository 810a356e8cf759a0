/**
 * What other modules may call to run a nameserver: {@link
 * io.edgemq.nameserver.api.NameServerConfig} (the typed, validated configuration) and {@link
 * io.edgemq.nameserver.api.NameServer} (a running server on its port). Everything else in the
 * module is internal.
 */
package io.edgemq.nameserver.api;
