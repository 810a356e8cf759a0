/** What other modules use to run a gateway: its config and its lifecycle. */
package io.edgemq.gateway.api;
