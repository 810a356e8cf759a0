/**
 * Device authentication and authorization for the MQTT gateway: PBKDF2 password hashes, the
 * password file and its {@code passwd} command, the {@link io.edgemq.gateway.auth.Authenticator}
 * that checks CONNECT credentials, and the {@link io.edgemq.gateway.auth.Acl} that checks every
 * PUBLISH and SUBSCRIBE. File formats and semantics are described in docs/gateway-mqtt-auth.md.
 */
package io.edgemq.gateway.auth;
