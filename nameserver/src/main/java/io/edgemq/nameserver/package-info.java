/**
 * The nameserver process: {@link io.edgemq.nameserver.NameServerMain} reads the command line,
 * starts a {@link io.edgemq.nameserver.api.NameServer} and stops it on SIGTERM or Ctrl-C.
 */
package io.edgemq.nameserver;
